export { startGoPlugin } from './start-go-plugin.js';
