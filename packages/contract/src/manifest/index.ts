export { ISOLATIONS, type Isolation, isIsolation } from './isolation.js';
export {
  type GoPluginBroker,
  type GoPluginHandshake,
  KNOWN_MANIFEST_FIELDS,
  type ManifestProblem,
  type PluginManifest,
} from './plugin-manifest.js';
export { type ManifestValidation, validateManifest } from './validate-manifest.js';
