import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInPlace } from '@x/contract/node';
import type { DirectReads } from '@x/contract/wire';

// The host's end of a process plugin's RPC channel, made by the host so that it can read it in
// place. child_process's own 'pipe' gives a net.Socket that emits 'data': every 64 KiB read is a
// buffer of its own, which the frame decoder then copies into each frame's buffer. A socket made
// with `onread` reads straight into the buffer the decoder asks for, as the plugin's end already
// does (@x/contract/node's pluginSocket). Node has no socketpair(), so the pair is a Unix socket
// connected to itself in a private directory (mkdtemp: mode 0700), which is removed at once; the
// accepted end is handed to the child as its fd 3 and closed here. Measured by the streams
// branch on the raw reader (16 MiB of 64 KiB chunks): 16–26 ms copying each read into a fresh
// buffer, 10–12.5 ms reading into fresh buffers with onread; making the pair costs ~0.85 ms a start.

export interface RpcSocket {
  /** The host's end, connected, reading into what `reads` asks for. */
  readonly host: Socket;
  /** The child's end: pass it as stdio[3], then destroy it here once spawned. */
  readonly child: Socket;
  /** Attaches the endpoint's DirectReads (before the first read: the child is not started yet). */
  readonly reads: (reads: DirectReads) => void;
}

/** A connected pair, or undefined where there is no Unix socket to make (Windows, or any failure). */
export async function rpcSocket(): Promise<RpcSocket | undefined> {
  if (process.platform === 'win32') return undefined;
  let dir: string | undefined;
  let server: Server | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'x-plugin-rpc-'));
    const path = join(dir, 's');
    const listening = createServer({ pauseOnConnect: true });
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(path, resolve);
    });
    const { onread, directReads } = readInPlace();
    const accepted = new Promise<Socket>((resolve) => listening.once('connection', resolve));
    const host = connect({ path, onread });
    await new Promise<void>((resolve, reject) => {
      host.once('connect', resolve);
      host.once('error', reject);
    });
    const child = await accepted;
    // The child's end must block, as a pipe from child_process does: libuv made the accepted
    // socket non-blocking, the flag belongs to the socket the child's fd 3 shares, and a plugin
    // in another language reading fd 3 with plain read(2) (Python's buffered reader) would see
    // EAGAIN as its end. Node has no fcntl(); its stream handle's setBlocking is libuv's
    // uv_stream_set_blocking. Without it, no own socket: the pipe.
    const handle = (child as unknown as { _handle?: { setBlocking?: (on: boolean) => number } })._handle;
    if (typeof handle?.setBlocking !== 'function' || handle.setBlocking(true) !== 0) {
      child.destroy();
      host.destroy();
      return undefined;
    }
    return { host, child, reads: directReads };
  } catch {
    return undefined;
  } finally {
    server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}
