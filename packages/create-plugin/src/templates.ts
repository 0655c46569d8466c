import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateKind } from './options.js';

/** The templates ship beside dist/ (and src/, for tests): real files, not strings in code. */
export const TEMPLATE_ROOT = fileURLToPath(new URL('../template', import.meta.url));

export interface TemplateFile {
  /** The template, absolute. */
  readonly source: string;
  /** Where it goes in the generated package, relative, with "/" separators. */
  readonly target: string;
}

// npm drops .gitignore from published packages (and would apply .npmignore), so dotfiles are
// stored as _name and renamed on the way out, as create-vite does.
// Likewise the template's package.json is stored as package.tmpl.json: a nested package.json in
// the published generator would be read by tools (publint, bundlers) as a package of its own.
const targetName = (relative: string) =>
  relative
    .split(sep)
    .map((part) =>
      part.startsWith('_') ? `.${part.slice(1)}` : part === 'package.tmpl.json' ? 'package.json' : part,
    )
    .join('/');

function filesUnder(dir: string): TemplateFile[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((relative) => statSync(join(dir, relative)).isFile())
    .map((relative) => ({ source: join(dir, relative), target: targetName(relative) }));
}

/** The files a plugin of `kind` is made of: the shared ones, then the kind's own. */
export function templateFiles(kind: TemplateKind, root = TEMPLATE_ROOT): TemplateFile[] {
  const files = [...filesUnder(join(root, 'common')), ...filesUnder(join(root, kind))];
  return files.sort((a, b) => a.target.localeCompare(b.target));
}
