import { join } from 'node:path';
import { itResolvesForImportAndRequire } from '../../../scripts/exports-check.ts';

const dir = join(import.meta.dirname, '..');

itResolvesForImportAndRequire(dir, [
  'PluginError',
  'checkConformance',
  'defineContract',
  'greeter',
  'transformer',
  'CONTRACT_VERSION',
]);
itResolvesForImportAndRequire(
  dir,
  ['RpcEndpoint', 'RpcError', 'portEndpoint', 'streamEndpoint', 'servePluginOver', 'WIRE_METHODS'],
  './wire',
);
itResolvesForImportAndRequire(dir, ['openPluginEndpoint', 'readOffer'], './node');
itResolvesForImportAndRequire(dir, ['compileContract'], './validate');
itResolvesForImportAndRequire(dir, [
  't',
  'compareContracts',
  'contractToJson',
  'contractFromJson',
  'describeSchema',
]);
itResolvesForImportAndRequire(
  dir,
  ['frameCodec', 'encodeFrame', 'FrameDecoder', 'MAX_FRAME_BYTES'],
  './frames',
);
