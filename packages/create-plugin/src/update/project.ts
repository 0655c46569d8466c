import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateError } from '../errors.js';
import { getPath, parseJson } from './json-edit.js';
import type { Project } from './migration.js';
import {
  compareVersions,
  FIRST_TEMPLATE_VERSION,
  isTemplateVersion,
  STAMP_FIELD,
} from './template-version.js';

/**
 * The only files an update may write: the template's configs. Everything else (src/**, test/**,
 * README.md, lockfiles) is the author's from the moment it was generated, and is never touched:
 * the README and the tests were generated too, but they are meant to be edited.
 */
export const TEMPLATE_OWNED = [
  '.gitignore',
  'package.json',
  'tsconfig.json',
  'tsup.config.ts',
  'vitest.config.ts',
];

export interface LoadedProject extends Project {
  /** The stamp's version, else the 1.0 template's (which wrote none). */
  readonly templateVersion: string;
  readonly stamped: boolean;
}

function projectError(dir: string, why: string, fix: string): CreateError {
  return new CreateError({
    code: 'ERR_CREATE_UPDATE_PROJECT',
    what: `${dir} is not a plugin project that create-greeter-plugin can update.`,
    why,
    fix,
  });
}

/** Reads the project's package.json and template stamp; refuses anything but a generated plugin. */
export function loadProject(dir: string, templateVersion: string): LoadedProject {
  const pkgPath = join(dir, 'package.json');
  if (!existsSync(pkgPath)) {
    throw projectError(
      dir,
      'It has no package.json.',
      'Run `npm create greeter-plugin -- update` inside the plugin’s folder (or pass the folder: update <dir>).',
    );
  }
  const pkg = parseJson(readFileSync(pkgPath, 'utf8'));
  if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) {
    throw projectError(
      dir,
      'Its package.json is not a JSON object.',
      'Fix package.json, then run update again.',
    );
  }
  if (typeof getPath(pkg, ['xPlugin']) !== 'object') {
    throw projectError(
      dir,
      'Its package.json has no "xPlugin" manifest, so it is not a plugin made by npm create greeter-plugin.',
      'Run update in a generated plugin; to make one, run npm create greeter-plugin.',
    );
  }
  const stamp = getPath(pkg, [STAMP_FIELD, 'template']);
  const stamped = stamp !== undefined;
  if (stamped && !isTemplateVersion(stamp)) {
    throw new CreateError({
      code: 'ERR_CREATE_UPDATE_VERSION',
      what: `The template stamp in ${pkgPath} cannot be read.`,
      why: `"${STAMP_FIELD}": { "template": ${JSON.stringify(stamp)} } is not a version like "1.1.0".`,
      fix: 'Set it to the template version the project was made with (1.0.0 if unsure: every migration checks what it changes), then run update again.',
    });
  }
  const version = stamped ? (stamp as string) : FIRST_TEMPLATE_VERSION;
  if (compareVersions(version, templateVersion) > 0) {
    throw new CreateError({
      code: 'ERR_CREATE_UPDATE_VERSION',
      what: `The project was made with template ${version}, newer than this generator's ${templateVersion}.`,
      why: 'An older create-greeter-plugin does not know the newer template, and would undo what it changed.',
      fix: 'Run the newest generator: npm create greeter-plugin@latest -- update',
    });
  }
  return {
    dir,
    templateVersion: version,
    stamped,
    read: (path) => {
      const file = join(dir, path);
      return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    },
  };
}
