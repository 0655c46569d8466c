import { describe, expect, it } from 'vitest';
import { templateFiles } from './templates.js';

describe('templateFiles', () => {
  it('lists the shared files and the kind’s own, with _gitignore renamed to .gitignore', () => {
    for (const kind of ['greeter', 'transformer'] as const) {
      expect(templateFiles(kind).map((f) => f.target)).toEqual([
        '.gitignore',
        'package.json',
        'README.md',
        'src/index.test.ts',
        'src/index.ts',
        'test/conformance.test.ts',
        'tsconfig.json',
        'tsup.config.ts',
        'vitest.config.ts',
      ]);
    }
  });
});
