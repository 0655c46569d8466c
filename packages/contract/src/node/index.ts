export { openPluginEndpoint, readOffer } from './plugin-endpoint.js';
