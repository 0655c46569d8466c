export { type CliIo, EXIT } from './io.js';
export { runCli } from './main.js';
