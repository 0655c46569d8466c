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
    '[English via worker] Hello, World! Nice to meet you.',
    '[Español via process] ¡Hola, World! Mucho gusto.',
    ...['in-process', 'worker', 'process'].map(
      (isolation) =>
        `[text-analyzer via ${isolation}] 8 words, 2 sentences, top the×3 dog×2, longest "The"; sha256 dffd6021bb2bd5b0… of 13 bytes`,
    ),
    ...['in-process', 'worker', 'process'].map(
      (isolation, i) =>
        `[word-streamer via ${isolation}] quick×${i + 1} brown×${i + 1} jumps×${i + 1} (then cancelled)`,
    ),
  ]);
});

it('unloads an isolated plugin, leaving no process, and loads it again', () => {
  const out = execFileSync(process.execPath, [join(import.meta.dirname, '../dist/reload.js')], {
    encoding: 'utf8',
  });
  const lines = out.split('\n').filter(Boolean);
  expect(lines.map((l) => l.replace(/\d+/g, 'N'))).toEqual([
    '[load N] HELLO, WORLD! (pid N)',
    '[unload N] closed: true, process N running: false',
    '[load N] HELLO, WORLD! (pid N)',
    '[unload N] closed: true, process N running: false',
  ]);
  const pids = lines.filter((l) => l.startsWith('[load')).map((l) => /pid (\d+)/.exec(l)?.[1]);
  expect(pids[0]).not.toBe(pids[1]);
});
