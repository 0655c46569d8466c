import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base.ts';

// Three entries, so that a plugin importing its contract loads only what it uses: the main one
// (contracts, conformance, errors; what every plugin imports), `./wire` (the RPC endpoint, for
// the code that serves or calls isolated plugins) and `./node` (the Node.js half of serving).
// A new worker or child process loads the main entry with every plugin: keeping the wire code out
// of it is ~0.4 ms of every isolated start (packages/host/README.md, Performance).
//
// `./validate` (compileContract) carries TypeBox's compiler, bundled: one file instead of a hundred,
// and a copy of @x/contract that works on its own; the main entry loads none of TypeBox (`t` writes
// its schemas by hand). TypeBox stays a dependency for its types.
// `./frames` (protocol version 2's binary framing, with msgpackr) is one more for the same reason:
// only a process channel needs it, and msgpackr bundled into the host's bootstrap grew it from 32 KB
// to 124 KB and a worker's start by ~1-5 ms (measured, 25 starts, ABAB); the bootstrap loads it lazily.
export default defineConfig(
  packageConfig({
    entry: {
      index: 'src/index.ts',
      wire: 'src/wire/index.ts',
      frames: 'src/wire/frames-index.ts',
      node: 'src/node/index.ts',
      validate: 'src/validate/index.ts',
    },
    noExternal: ['@sinclair/typebox'],
  }),
);
