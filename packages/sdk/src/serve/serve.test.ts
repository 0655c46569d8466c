import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';

// Runs the built serve() (a plugin's standalone entry runs built code) as a person would: by hand.
const dir = mkdtempSync(join(tmpdir(), 'x-sdk-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('run without the magic cookie, explains that it is a plugin and exits 1', () => {
  const serveUrl = pathToFileURL(join(import.meta.dirname, '../../dist/serve.js')).href;
  const main = join(dir, 'main.mjs');
  writeFileSync(
    main,
    `import { serve } from '${serveUrl}';\nserve({ greet: (n) => n, lang: () => 'x' }, { name: 'greeter-plugin-demo' });\n`,
  );
  const run = spawnSync(process.execPath, [main], { encoding: 'utf8', timeout: 20_000 });
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('greeter-plugin-demo is a plugin, not a program');
  expect(run.stderr).toContain('@x/host');
});
