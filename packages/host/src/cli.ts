import { runCli } from './cli/main.js';

// The bin's entry. Every handle is closed before runCli returns; the unref'd timer only ends a
// process that a misbehaving in-process plugin (a stray setInterval) would otherwise keep alive.
process.exitCode = await runCli(process.argv.slice(2));
setTimeout(() => process.exit(), 1_000).unref();
