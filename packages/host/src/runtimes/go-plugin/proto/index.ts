export { type Codec, type Mismatch, ValueProblem } from './field-codec.js';
export { loadService, type ServiceSpec } from './load-service.js';
export { mapService, type RpcMapping, rpcName, type ServiceMapping } from './rpc-mapping.js';
