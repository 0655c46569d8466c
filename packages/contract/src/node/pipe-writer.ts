import { writeSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { StreamLike } from '../wire/index.js';

/** Frames up to this size may skip the socket's write machinery (a pipe's buffer is 64 KiB). */
const DIRECT_MAX_BYTES = 16 * 1024;

/**
 * The socket of a pipe as the endpoint writes to it, a small frame going out in one write(2) of
 * its own (fs.writeSync on the pipe's non-blocking fd) when the socket holds nothing queued: that
 * skips the stream's machinery for each write (a WriteWrap, its callbacks, the writable state), a
 * few µs of every round trip on both sides. Anything else goes through the socket: text, large
 * frames, a corked frame's pieces, and whatever the pipe could not take at once (EAGAIN, a short
 * write), so that the order of the bytes is kept.
 */
export function pipeWriter(socket: Socket, fd: number): StreamLike {
  return {
    write(data) {
      if (
        typeof data === 'string' ||
        data.byteLength > DIRECT_MAX_BYTES ||
        socket.writableLength > 0 ||
        socket.writableCorked > 0 ||
        socket.destroyed
      ) {
        return socket.write(data);
      }
      let written = 0;
      try {
        written = writeSync(fd, data);
      } catch {
        // EAGAIN (the pipe is full) and the rest: the socket writes it, or reports the error.
        return socket.write(data);
      }
      return written === data.byteLength ? true : socket.write(data.subarray(written));
    },
    cork: () => socket.cork(),
    uncork: () => socket.uncork(),
    on: (event, listener) => socket.on(event, listener),
  };
}
