export { parseFlags, USAGE } from './args.js';
export { CreateError, type CreateErrorCode } from './errors.js';
export { main } from './main.js';
export type { Answers, Flags, Isolation, Kind, PackageManager } from './options.js';
export { type Generated, runGenerator } from './plop.js';
export { type TemplateFile, templateFiles } from './templates.js';
export {
  type Conflict,
  type FileEdit,
  MIGRATIONS,
  type Migration,
  type MigrationContext,
  type MigrationResult,
  type Project,
  runUpdate,
  STAMP_FIELD,
  TEMPLATE_OWNED,
  TEMPLATE_VERSION,
  UPDATE_USAGE,
  type UpdateIO,
} from './update/index.js';
