export { openPluginEndpoint, pluginSocket, readOffer } from './plugin-endpoint.js';
