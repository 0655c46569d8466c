import { spawnSync } from 'node:child_process';
import { greeter } from '@x/contract';
import { testPlugin } from '@x/sdk/testing';
import { describe, it } from 'vitest';

// The same conformance suite as every Node plugin (@x/sdk/testing): plugin.py, loaded through a
// real @x/host, checked against the "greeter" contract. It runs as its own process only
// (xPlugin.command), so the suite is asked for that isolation alone.
const python = spawnSync('python3', ['--version']).status === 0;

if (python) {
  testPlugin({
    dir: new URL('..', import.meta.url),
    contract: greeter,
    isolations: ['process'],
    cases: {
      greet: [
        [['World'], 'Bonjour, World! Enchanté.'],
        [['Gopher'], 'Bonjour, Gopher! Enchanté.'],
      ],
      lang: [[[], 'Français']],
    },
  });
} else {
  console.warn('python-greeter conformance skipped: python3 is not on the PATH');
  describe.skip('python-greeter conformance (skipped: python3 is not on the PATH)', () => {
    it('needs python3', () => {});
  });
}
