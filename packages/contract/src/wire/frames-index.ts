// `@x/contract/frames`: protocol version 2's framing for byte streams, apart from `./wire` so that
// only what opens a process channel loads msgpackr (tsup.config.ts says why).
export { encodeFrame, FrameDecoder, type FrameDecoderEvents, frameCodec, MAX_FRAME_BYTES } from './frames.js';
// msgpackr's extension types of protocol version 2 (docs/protocol.md).
export { EXT_NEGATIVE_ZERO, EXT_UTF16 } from './msgpack.js';
