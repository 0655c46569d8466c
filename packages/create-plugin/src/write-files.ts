import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Moves the rendered files from the staging folder into the target, all or nothing as far as the
 * file system allows: if any copy fails, the files and the folder this call created are removed
 * again, so an error never leaves a half-made plugin behind. Files already in the target are only
 * ever replaced when they are generated files (the caller checked --force).
 */
export function writeFiles(staging: string, target: string, files: readonly string[]): void {
  const createdDir = !existsSync(target);
  const created: string[] = [];
  try {
    mkdirSync(target, { recursive: true });
    for (const file of files) {
      const to = join(target, file);
      const isNew = !existsSync(to);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(join(staging, file), to);
      if (isNew) created.push(to);
    }
  } catch (error) {
    if (createdDir) rmSync(target, { recursive: true, force: true });
    else for (const file of created) rmSync(file, { force: true });
    throw error;
  }
}
