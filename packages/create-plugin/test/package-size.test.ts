import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The size budget of what `npm create greeter-plugin` downloads (DESIGN.md: at most 1.5 MB
// unpacked), as unjs/hookable keeps one: a dependency that drags a prompt library or a polyfill
// back into the bundle fails here, not in a user's terminal.
const ROOT = join(import.meta.dirname, '..');
const BUDGET_BYTES = 1.5 * 1024 * 1024;

interface Packed {
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { path: string }[];
}

describe('the published package', () => {
  it(`unpacks to at most ${BUDGET_BYTES / 1024 / 1024} MB`, () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as Packed[];
    expect(packed!.unpackedSize).toBeLessThanOrEqual(BUDGET_BYTES);
    // Only the bundle, the bin shim and the templates: no source, no tests, no maps.
    for (const { path } of packed!.files)
      expect(path).toMatch(/^(dist\/|template\/|index\.js$|package\.json$|README\.md$)/);
  });

  it('bundles neither inquirer nor what it pulls in (node-plop never prompts here)', () => {
    for (const file of readdirSync(join(ROOT, 'dist')).filter((f) => /\.(c?js)$/.test(f))) {
      const code = readFileSync(join(ROOT, 'dist', file), 'utf8');
      expect(code, file).not.toMatch(/rxjs|iconv-lite|external-editor|Inquirer\.js/i);
    }
  });
});
