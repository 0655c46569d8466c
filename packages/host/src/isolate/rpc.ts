// vscode-jsonrpc is CommonJS without an exports map: a default import is what works from both of
// our builds (ESM and CJS) and from the bootstrap, so every file takes it from here.
import rpc from 'vscode-jsonrpc/node.js';

export const {
  CancellationTokenSource,
  createMessageConnection,
  PortMessageReader,
  PortMessageWriter,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
} = rpc;
export type { MessageConnection } from 'vscode-jsonrpc/node.js';
