import { type EndpointOptions, RpcEndpoint } from './endpoint.js';
import { encodeLines, LineDecoder } from './ndjson.js';

// The two transports of the wire protocol, written against structural types so that this package
// stays free of Node imports: a Node Worker, MessagePort or parentPort fits `PortLike`, a
// net.Socket (with setEncoding('utf8')) fits `StreamLike`.

export interface PortLike {
  postMessage(value: unknown): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
}

export interface StreamLike {
  write(text: string): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
}

type Options = Omit<EndpointOptions, 'write'>;

/**
 * An endpoint over a message port (worker channel): messages are posted as structured clones,
 * unframed; the messages of one tick go as one array (one clone, one wake-up of the other side).
 */
export function portEndpoint(port: PortLike, options: Options = {}): RpcEndpoint {
  const endpoint = new RpcEndpoint({
    ...options,
    write: (messages) => port.postMessage(messages.length === 1 ? messages[0] : messages),
  });
  port.on('message', (value) => endpoint.receive(value));
  return endpoint;
}

/** An endpoint over a byte stream (process channel) framed as newline-delimited JSON. */
export function streamEndpoint(stream: StreamLike, options: Options = {}): RpcEndpoint {
  const endpoint = new RpcEndpoint({ ...options, write: (messages) => stream.write(encodeLines(messages)) });
  const decoder = new LineDecoder(
    (line) => {
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        endpoint.problem(`a line that is not JSON: ${line.length > 80 ? `${line.slice(0, 80)}…` : line}`);
        return;
      }
      endpoint.receive(message);
    },
    (length) => endpoint.problem(`a line of ${length} characters, over the limit`),
  );
  stream.on('data', (chunk) => decoder.push(typeof chunk === 'string' ? chunk : String(chunk)));
  return endpoint;
}
