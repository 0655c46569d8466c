export { UPDATE_USAGE } from './args.js';
export { runUpdate, type UpdateIO } from './command.js';
export type {
  Conflict,
  FileEdit,
  Migration,
  MigrationContext,
  MigrationResult,
  Project,
} from './migration.js';
export { MIGRATIONS, TEMPLATE_VERSION } from './migrations/index.js';
export { TEMPLATE_OWNED } from './project.js';
export { STAMP_FIELD } from './template-version.js';
