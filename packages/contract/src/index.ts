export { builtinContracts } from './builtin-contracts.js';
export {
  type ConformanceProblem,
  type ConformanceResult,
  checkConformance,
  describeKind,
  describeType,
  matchesKind,
} from './conformance.js';
export {
  type AnyContract,
  type Client,
  type Contract,
  defineContract,
  type Implementation,
  type Infer,
  type MethodSpec,
  type MethodsSpec,
  type ParamSpec,
  type TypeSpec,
  type ValueKind,
} from './define-contract.js';
export {
  type GoPluginBroker,
  type GoPluginHandshake,
  ISOLATIONS,
  type Isolation,
  isIsolation,
  KNOWN_MANIFEST_FIELDS,
  type ManifestProblem,
  type ManifestValidation,
  type PluginManifest,
  validateManifest,
} from './manifest/index.js';
export { PluginError, type PluginErrorCode, type PluginErrorOptions } from './plugin-error.js';
export {
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  PLUGIN_STAMP,
  type PluginStamp,
  PROTOCOL_VERSIONS,
  PROTOCOL_VERSIONS_KEY,
  readStamp,
} from './protocol.js';
export {
  type ContractChange,
  type ContractChangeKind,
  type ContractComparison,
  compareContracts,
} from './schema/compare-contracts.js';
export {
  type ContractJson,
  contractFromJson,
  contractToJson,
  type MethodJson,
  type ParamJson,
} from './schema/contract-json.js';
export { describeSchema, describeValue } from './schema/describe-schema.js';
export type {
  CallContext,
  ConfigOf,
  DirectImplementation,
  HostClient,
  HostImplementation,
  KindType,
  TypeOf,
} from './schema/infer.js';
export type { JsonSchema } from './schema/json-schema.js';
export { sampleValue } from './schema/sample-value.js';
export { isSubschema } from './schema/subschema.js';
export { t } from './schema/t.js';
// Plugins that talk back (issue 13): the factory form, host functions, dispose hooks, streams.
export {
  type CallScope,
  type CancelSource,
  declaresHostFunction,
  disposeSymbol,
  type HostFunctionSpec,
  type HostSpec,
  type InstanceEnvironment,
  instantiatePlugin,
  isStreamReturn,
  LazyAbort,
  type MethodContext,
  PLUGIN_FACTORY,
  type PluginContext,
  type PluginFactoryRecord,
  type PluginInstance,
  type PluginLogger,
  readFactory,
  readHostSpec,
  runDisposeHooks,
  type TalkbackContract,
  whenAborted,
} from './talkback/index.js';
export { transfer } from './transfer-mark.js';
export { type Greeter, greeter, type Transformer, transformer } from './v1/index.js';
export { CONTRACT_VERSION } from './version.js';
