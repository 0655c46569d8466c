import { join } from 'node:path';
import { itResolvesForImportAndRequire } from '../../../scripts/exports-check.ts';

itResolvesForImportAndRequire(join(import.meta.dirname, '..'), [
  'PluginError',
  'checkConformance',
  'defineContract',
  'greeter',
  'transformer',
  'CONTRACT_VERSION',
  'RpcEndpoint',
  'portEndpoint',
  'streamEndpoint',
  'servePluginOver',
]);
