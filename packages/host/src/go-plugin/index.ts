export { DEFAULT_START_TIMEOUT_MS, type GoLoadOptions, loadGoPlugin } from './load-go-plugin.js';
