import { Socket } from 'node:net';
import type { DirectReads } from '../wire/index.js';

// A file apart from plugin-endpoint.ts, which imports node:worker_threads: @x/host's bootstrap
// takes only this into its child-process half, and a child that never loads worker_threads starts
// ~0.4 ms sooner (packages/host/README.md, Performance).

/**
 * A socket's `onread` option that lands each read where an endpoint's DirectReads asks, and the
 * hook that attaches them (`streamEndpoint`'s `directReads` option). Until they are attached (the
 * endpoint is made in the same tick, before the first read), reads land in a scratch buffer.
 */
export function readInPlace(): {
  onread: { buffer: () => Uint8Array; callback: (n: number, buffer: Uint8Array) => boolean };
  directReads: (reads: DirectReads) => void;
} {
  let reads: DirectReads | undefined;
  return {
    onread: {
      buffer: () => reads?.buffer() ?? new Uint8Array(64 * 1024),
      callback: (n, buffer) => {
        reads?.got(n, buffer);
        return true;
      },
    },
    directReads: (r) => {
      reads = r;
    },
  };
}

/**
 * The plugin's end of fd 3. Versions 2 and 3 read into the buffers the frame decoder asks for
 * (`onread`): a large frame from the host (a 64 MiB argument) lands in its own buffer as it is
 * read, instead of in 64 KiB chunks copied into it after. The decoder is attached once the
 * endpoint exists, in the same tick (the socket's first read comes later).
 */
export function pluginSocket(version: 1 | 2 | 3): {
  socket: Socket;
  directReads: ((reads: DirectReads) => void) | undefined;
} {
  if (version === 1)
    return { socket: new Socket({ fd: 3, readable: true, writable: true }), directReads: undefined };
  const { onread, directReads } = readInPlace();
  // `onread` is read by the constructor too (net.connect passes its options on), though the types
  // declare it for connect() only.
  const socket = new Socket({ fd: 3, readable: true, writable: true, onread } as ConstructorParameters<
    typeof Socket
  >[0]);
  return { socket, directReads };
}
