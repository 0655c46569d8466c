import { RPC_ERRORS, WIRE_METHODS } from '@x/contract/wire';
import type { Connection } from '../../core/connection.js';
import { settlesWithin } from '../../core/settles-within.js';
import type { Logger } from '../../logger.js';
import { disposeRemote } from '../../talkback/remote.js';
import { remoteSource } from '../../talkback/remote-stream.js';
import type { Channel } from './channel.js';
import { fromWire } from './from-wire-error.js';

/** A plugin whose handshake said `talkback: true`: it serves x/dispose. */
export interface ChannelTalkback {
  readonly disposeTimeout: number;
  readonly logger: Logger;
}

/** How long a call whose connection broke waits for the exit that explains it (as a crash). */
const BROKEN_GRACE_MS = 5000;

/**
 * A worker, process or command plugin speaking x's JSON-RPC protocol (docs/protocol.md), as the
 * connection the supervisor and the call pipeline work with.
 */
export function channelConnection(plugin: string, ch: Channel, talkback?: ChannelTalkback): Connection {
  return {
    get pid() {
      return ch.pid;
    },
    get threadId() {
      return ch.threadId;
    },
    exited: ch.exited,
    send(method, args, done, _timeout, watched = true) {
      // Version 3 (compact envelope): `[method, args]`, no key names to clone or encode.
      const params = ch.endpoint.envelope === 'compact' ? [method, args] : { method, args };
      const id = ch.endpoint.send(WIRE_METHODS.call, params, (error, result) => {
        if (error === undefined) return done(undefined, result);
        // An answer (the method threw, bad params, a malformed answer): the call fails now.
        if (error.code !== RPC_ERRORS.connectionClosed) return done(fromWire(plugin, method, error));
        // The connection broke: the plugin is ending, and its exit (seen first by the supervisor)
        // fails this call as ERR_PLUGIN_CRASHED. The timer only guards a break without an exit.
        void settlesWithin(ch.exited, BROKEN_GRACE_MS).then((exited) => {
          if (!exited) done(fromWire(plugin, method, error));
        });
      });
      // $/cancelRequest: the plugin is told; the pipeline has already stopped waiting. Made only
      // for a call a timeout or signal can stop (a closure per call shows at 1,000 in flight).
      return watched ? () => ch.endpoint.cancel(id) : undefined;
    },
    queuedBytes: () => ch.queuedBytes(),
    async ping(timeoutMs, hold = true) {
      const request = ch.endpoint.request(WIRE_METHODS.health, {});
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        // The liveness ping runs all the time: it must not keep an idle host alive.
        if (!hold) timer.unref();
      });
      try {
        return await Promise.race([request.result as Promise<Record<string, unknown>>, late]);
      } catch (error) {
        ch.endpoint.cancel(request.id);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    ref: () => ch.ref(),
    unref: () => ch.unref(),
    recentOutput: () => ch.recentOutput(),
    // talkback: streams on the same channel (x/stream, x/item, x/credit), and x/dispose before the end.
    openStream: (method, args) => remoteSource(plugin, ch.endpoint, method, [...args], () => {}),
    ...(talkback === undefined
      ? {}
      : {
          dispose: () =>
            ch.hasExited
              ? Promise.resolve()
              : disposeRemote(plugin, ch.endpoint, talkback.disposeTimeout, talkback.logger),
        }),
    close: () => ch.kill(),
  };
}
