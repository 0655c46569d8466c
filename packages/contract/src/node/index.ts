export { pipeWriter } from './pipe-writer.js';
export { openPluginEndpoint, readOffer } from './plugin-endpoint.js';
export { pluginSocket, readInPlace } from './plugin-socket.js';
