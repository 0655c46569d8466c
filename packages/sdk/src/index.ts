export { definePlugin, type Plugin } from './define-plugin.js';
export type { PluginCtx, PluginFactory, TalkbackImplementation } from './plugin-types.js';
export { BUILT_CONTRACT_VERSION, SDK_VERSION } from './version.js';
