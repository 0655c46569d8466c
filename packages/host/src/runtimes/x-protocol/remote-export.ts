import { PLUGIN_STAMP } from '@x/contract';
import type { ExportShape } from '@x/contract/wire';

const SAMPLES: Record<string, unknown> = {
  function: () => {},
  string: '',
  number: 0,
  boolean: false,
  null: null,
  array: [],
  object: {},
  bigint: 0n,
  symbol: Symbol('remote'),
};

/**
 * A local stand-in for an export that lives in another thread or process, with members of the
 * kinds the plugin reported, so that the same conform() step judges every isolation alike.
 */
export function remoteExport(shape: ExportShape): unknown {
  if (shape.members === null) return undefined;
  const kind = shape.members['(export)'];
  if (kind !== undefined) return SAMPLES[kind];
  const stand = Object.fromEntries(Object.entries(shape.members).map(([k, v]) => [k, SAMPLES[v]]));
  if (shape.stamp !== undefined) Object.defineProperty(stand, PLUGIN_STAMP, { value: shape.stamp });
  return stand;
}
