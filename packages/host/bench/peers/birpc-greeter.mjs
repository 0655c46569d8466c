// birpc's side in a worker: the same plugin logic as the worker plugin (the example greeter's own
// export), served over the worker's port with birpc's defaults (structured clone, no serializer).
import { parentPort } from 'node:worker_threads';
import { createBirpc } from 'birpc';
import { plugin } from '../../../../examples/greeter-english/dist/index.js';

createBirpc(
  { greet: (name) => plugin.greet(name), lang: () => plugin.lang() },
  { post: (data) => parentPort.postMessage(data), on: (fn) => parentPort.on('message', fn) },
);
parentPort.postMessage('ready');
