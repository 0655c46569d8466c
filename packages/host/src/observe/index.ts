export { CallStats, LATENCY_WINDOW, type PluginStats } from './call-stats.js';
export { CALL_CHANNEL, type CallTraceContext, traceCall } from './trace-call.js';
