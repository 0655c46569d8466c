// The process half of the bootstrap (isolate/pipe.cjs): protocol version 2's frames (msgpackr) and
// the plugin's end of fd 3. A file of its own, required by bootstrap.cjs only in a child process,
// so that a worker never compiles it: msgpackr is ~100 KB of the bootstrap's source, and compiling
// the whole bundle cost a new worker ~5 ms (packages/host/README.md, Performance).
export { frameCodec } from '@x/contract/frames';
export { pipeWriter, pluginSocket } from '@x/contract/node';
