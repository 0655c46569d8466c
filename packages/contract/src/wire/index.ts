export {
  type AnswerCallback,
  type EndpointOptions,
  type NotificationHandler,
  type OutgoingRequest,
  type RequestHandler,
  RpcEndpoint,
} from './endpoint.js';
export {
  type CallParams,
  chooseVersion,
  describeExport,
  type ExportShape,
  exportOf,
  type HandshakeParams,
  parseVersions,
  readHandshake,
  toWireError,
  WIRE_METHODS,
  type WireError,
} from './handshake.js';
export { encodeLines, LineDecoder, MAX_LINE_LENGTH } from './ndjson.js';
export { RPC_ERRORS, RpcError } from './rpc-error.js';
export type { RpcId, RpcMessage } from './rpc-message.js';
export { notAProgramMessage, type ServeOptions, servePluginOver, type WireConnection } from './serve.js';
export { type PluginTalkback, serveTalkback, type TalkbackConnection } from './serve-talkback.js';
export { HOST_FUNCTION_FAILED, STREAM_METHODS, TALKBACK_METHODS } from './talkback-methods.js';
export { type PortLike, portEndpoint, type StreamLike, streamEndpoint } from './transports.js';
