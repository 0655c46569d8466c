import { PassThrough } from 'node:stream';
import type { Client, ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import type { Logger } from '../../logger.js';
import { forwardLines } from './forward-output.js';
import type { HostSideServices, StdioData } from './host-side-protos.js';

// gRPC status codes (grpc.status), inlined as in grpc-errors.ts.
const CANCELLED = 1;
const UNIMPLEMENTED = 12;
const UNAVAILABLE = 14;

/**
 * Reads a plugin's stdout and stderr from go-plugin's GRPCStdio stream (go-plugin >= 1.3 sends
 * what the plugin writes to os.Stdout/os.Stderr after Serve there, not to the pipes) and forwards
 * them line by line like every other plugin's output. Read from the start and never paused: the
 * plugin's writes block once its side is full and nobody reads. A plugin without the service
 * (go-plugin 1.0-1.2) answers UNIMPLEMENTED, which ends this quietly, as go-plugin's client does.
 * Returns how to stop reading (on close).
 */
export function forwardGrpcStdio(
  client: Client,
  services: HostSideServices,
  logger: Logger,
  plugin: string,
): () => void {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  forwardLines(stdout, logger, plugin, 'stdout');
  forwardLines(stderr, logger, plugin, 'stderr');
  const method = services.streamStdio;
  const call: ClientReadableStream<StdioData> = client.makeServerStreamRequest(
    method.path,
    method.requestSerialize,
    method.responseDeserialize as (b: Buffer) => StdioData,
    {},
  );
  call.on('data', (chunk: StdioData) => {
    if (chunk.channel === 'STDOUT') stdout.write(chunk.data);
    else if (chunk.channel === 'STDERR') stderr.write(chunk.data);
  });
  const end = () => {
    stdout.end();
    stderr.end();
  };
  call.on('error', (error: ServiceError) => {
    end();
    if (error.code === UNIMPLEMENTED || error.code === UNAVAILABLE || error.code === CANCELLED) return;
    logger.log('warn', `the GRPCStdio stream failed: ${error.details ?? error.message}`, {
      plugin,
      stream: 'stdio',
    });
  });
  call.on('end', end);
  return () => call.cancel();
}
