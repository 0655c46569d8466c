import { isAbsolute, relative, sep } from 'node:path';

/**
 * Whether `dir` is `path` or one of its parents, comparing absolute, normalised paths (so
 * `/a/../b` is not under `/a`, and `/ab` is not under `/a`). Symlinks are not resolved here.
 */
export function pathContains(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}
