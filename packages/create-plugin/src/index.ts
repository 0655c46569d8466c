export { parseFlags, USAGE } from './args.js';
export { CreateError, type CreateErrorCode } from './errors.js';
export { main } from './main.js';
export type { Answers, Flags, Isolation, Kind, PackageManager } from './options.js';
export { type Generated, runGenerator } from './plop.js';
export { type TemplateFile, templateFiles } from './templates.js';
