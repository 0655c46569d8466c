export { discoverPlugins } from './discover-plugins.js';
export type { DiscoveredPlugin, DiscoverOptions, DiscoverySource } from './discovered-plugin.js';
export { inspectPlugin } from './inspect-plugin.js';
