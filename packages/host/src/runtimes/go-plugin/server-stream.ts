import type { Client, ServiceError } from '@grpc/grpc-js';
import type { PluginError } from '@x/contract';
import type { StreamSource } from '../../core/plugin-stream.js';
import { rawMethod } from './go-plugin-protos.js';
import { callError } from './grpc-errors.js';
import type { RpcMapping } from './proto/index.js';

const CANCELLED = 1;
const DONE: IteratorResult<unknown> = Object.freeze({ done: true, value: undefined });

/**
 * A server-streaming rpc as the host's stream source: the messages are read as the consumer pulls
 * (grpc-js' stream pauses past its buffer, and HTTP/2 flow control holds the plugin back), each
 * decoded into one item; `break` cancels the call, so the plugin's stream.Send fails and its
 * handler returns. A plugin's error status mid-stream rejects the next item as ERR_PLUGIN_CALL.
 */
export function serverStream(
  client: Client,
  plugin: string,
  method: string,
  rpc: RpcMapping,
  request: Uint8Array,
): StreamSource {
  const raw = rawMethod(rpc.path);
  const call = client.makeServerStreamRequest(
    rpc.path,
    raw.requestSerialize,
    raw.responseDeserialize,
    request,
    {},
  );
  const messages = call[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  let failure: PluginError | undefined;
  let cancelled = false;
  return {
    async next() {
      if (failure !== undefined) throw failure;
      if (cancelled) return DONE;
      let message: IteratorResult<Uint8Array>;
      try {
        message = await messages.next();
      } catch (error) {
        if (failure !== undefined) throw failure;
        if (cancelled && (error as ServiceError).code === CANCELLED) return DONE;
        throw callError(plugin, method, error as ServiceError, undefined);
      }
      if (message.done) return DONE;
      try {
        return { done: false, value: rpc.decode(message.value) };
      } catch (error) {
        // The plugin's item does not fit: the stream ends with that error, and the plugin is told to stop.
        cancelled = true;
        call.cancel();
        throw error;
      }
    },
    async cancel() {
      cancelled = true;
      call.cancel();
    },
    fail(error) {
      failure = error;
      call.cancel();
    },
  };
}
