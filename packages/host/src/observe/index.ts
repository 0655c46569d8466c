export { CALL_CHANNEL, type CallTraceContext, traceCall } from './trace-call.js';
