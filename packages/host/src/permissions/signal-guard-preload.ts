// The file a sandboxed plugin process preloads (node --require, see node-flags.ts): it is built
// on its own into dist/isolate/signal-guard.cjs, next to the bootstrap.
import { guardSignals } from './guard-signals.js';

guardSignals();
