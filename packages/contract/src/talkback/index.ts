export { disposeSymbol, runDisposeHooks } from './dispose-hooks.js';
export {
  declaresHostFunction,
  type HostFunctionSpec,
  type HostSpec,
  readHostSpec,
  type TalkbackContract,
} from './host-spec.js';
export { type CancelSource, LazyAbort, whenAborted } from './lazy-abort.js';
export {
  type CallScope,
  type InstanceEnvironment,
  instantiatePlugin,
  type MethodContext,
  PLUGIN_FACTORY,
  type PluginContext,
  type PluginFactoryRecord,
  type PluginInstance,
  type PluginLogger,
  readFactory,
} from './plugin-factory.js';
export { isStreamReturn } from './stream-return.js';
