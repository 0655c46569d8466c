import { join } from 'node:path';
import { itResolvesForImportAndRequire } from '../../../scripts/exports-check.ts';

itResolvesForImportAndRequire(join(import.meta.dirname, '..'), [
  'createHost',
  'loadPlugin',
  'PluginError',
  'discoverPlugins',
  'compatibilityOf',
  'transfer',
]);
