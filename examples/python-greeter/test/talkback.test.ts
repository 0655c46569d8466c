import { spawnSync } from 'node:child_process';
import { defineContract, greeter, t } from '@x/contract';
import { runPluginTests } from '@x/sdk/testing';
import { describe, expect, it } from 'vitest';

// @x/sdk/testing with a config and a fake host function: plugin.py, given { askHost: true },
// calls the host function decorate(name) inside greet (docs/protocol.md, "Talking back").
const python = spawnSync('python3', ['--version']).status === 0;

const greeterWithHost = defineContract({
  ...greeter,
  host: { decorate: { params: [{ name: 'name', type: 'string' }], returns: 'string' } },
  config: t.object({ askHost: t.boolean() }),
});

describe.skipIf(!python)('python-greeter under @x/sdk/testing, with config and a fake host', () => {
  it('runs its greet through the fake host function, in its own process', async () => {
    const seen: string[] = [];
    const results = await runPluginTests({
      dir: new URL('..', import.meta.url),
      contract: greeterWithHost,
      isolations: ['process'],
      config: { askHost: true },
      host: {
        decorate: (name) => {
          seen.push(name);
          return `${name} (faux)`;
        },
      },
      cases: { greet: [[['Ada'], 'Bonjour, Ada (faux)! Enchanté.']] },
    });
    const failed = results.filter((r) => r.status === 'failed');
    expect(failed).toEqual([]);
    expect(results.some((r) => r.check.startsWith('greet('))).toBe(true);
    expect(seen).toContain('Ada');
  });
});
