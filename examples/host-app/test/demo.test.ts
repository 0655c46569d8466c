import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('prints the Go tutorial greetings, reports the missing plugin, and goes on', () => {
  const out = execFileSync(process.execPath, [join(import.meta.dirname, '../dist/main.js')], {
    encoding: 'utf8',
  });
  expect(out.split('\n').filter(Boolean)).toEqual([
    '[English] Hello, World! Nice to meet you.',
    '[Español] ¡Hola, World! Mucho gusto.',
    'Plugin not found: greeter-plugin-french',
    '[upper] HELLO, WORLD!',
    '[reverse] !dlroW ,olleH',
  ]);
});
