/** Moves a result's or stream item's bytes to the host instead of copying them (worker isolation). */
export { transfer } from '@x/contract';
export { definePlugin, type Plugin } from './define-plugin.js';
export type { PluginCtx, PluginFactory, TalkbackImplementation } from './plugin-types.js';
export { BUILT_CONTRACT_VERSION, SDK_VERSION } from './version.js';
