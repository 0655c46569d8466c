import type { Migration } from '../migration.js';
import { compareVersions } from '../template-version.js';
import { devScript } from './0001-dev-script.js';
import { gitignoreCpuprofile } from './0002-gitignore-cpuprofile.js';
import { tsupSourcemap } from './0003-tsup-sourcemap.js';
import { xDevDependencies } from './0004-x-dev-dependencies.js';

/** Every template change, in the order they run. A new one goes last, with a test beside it. */
export const MIGRATIONS: readonly Migration[] = [
  devScript,
  gitignoreCpuprofile,
  tsupSourcemap,
  xDevDependencies,
];

/** The current template's version: the newest migration's `to`. */
export const TEMPLATE_VERSION = MIGRATIONS.reduce(
  (latest, m) => (compareVersions(m.to, latest) > 0 ? m.to : latest),
  MIGRATIONS[0]!.to,
);
