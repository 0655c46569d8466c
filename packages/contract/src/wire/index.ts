// The handshake offer's names and this package's versions, here too so that a plugin server (the
// host's bootstrap) need not load the main entry for four constants (packages/host/README.md, Performance).
export {
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  PROTOCOL_VERSIONS,
  PROTOCOL_VERSIONS_KEY,
} from '../protocol.js';
export { COMPACT_KIND, type CompactMessage, type Envelope, type OutgoingMessage } from './compact.js';
export {
  type AnswerCallback,
  type EndpointOptions,
  type NotificationHandler,
  type OutgoingRequest,
  type RequestHandler,
  RpcEndpoint,
} from './endpoint.js';
export {
  DEFAULT_FLOOD_LIMITS,
  type Flood,
  FloodGuard,
  type FloodGuardOptions,
  type FloodLimits,
} from './flood-guard.js';
export {
  type CallParams,
  chooseVersion,
  describeExport,
  type ExportShape,
  exportOf,
  framingFor,
  type HandshakeParams,
  MAX_ERROR_DEPTH,
  parseVersions,
  readHandshake,
  toWireError,
  WIRE_METHODS,
  type WireError,
  type WireValue,
} from './handshake.js';
export { itemBytes } from './item-bytes.js';
export { encodeLines, LineDecoder, MAX_LINE_LENGTH } from './ndjson.js';
export { RPC_ERRORS, RpcError } from './rpc-error.js';
export type { RpcId, RpcMessage } from './rpc-message.js';
export { notAProgramMessage, type ServeOptions, servePluginOver, type WireConnection } from './serve.js';
export { type PluginTalkback, serveTalkback, type TalkbackConnection } from './serve-talkback.js';
export { HOST_FUNCTION_FAILED, STREAM_METHODS, TALKBACK_METHODS } from './talkback-methods.js';
export {
  type DirectReads,
  type FrameCodec,
  type PortLike,
  portEndpoint,
  type StreamLike,
  streamEndpoint,
  type TransportOptions,
  type WireVersion,
} from './transports.js';
