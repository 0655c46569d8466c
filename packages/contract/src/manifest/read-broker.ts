import type { GoPluginBroker } from './plugin-manifest.js';

/** A fully qualified protobuf name (as validate-manifest.ts's), and one field name. */
const QUALIFIED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/**
 * `xPlugin.broker` of a go-plugin plugin: the gRPC service (in the plugin's own `proto`) that the
 * host serves through go-plugin's GRPCBroker for the contract's host functions, and the uint32
 * request field that carries its broker id (go-plugin's examples/bidirectional: `proto.AddHelper`
 * and `add_server`). Whether they exist in the .proto is the host's check, which reads files.
 */
export function readBroker(
  value: unknown,
  hasProto: boolean,
  problem: (field: string, why: string, fix: string) => void,
): { broker?: GoPluginBroker } {
  if (value === undefined) return {};
  const fix =
    'Set it to { "service": "<proto package>.<Service>", "idField": "<request field>" }: the service the host serves for the contract\'s host functions, and the uint32 field of the plugin\'s requests that carries its broker id.';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problem('xPlugin.broker', `must be an object, not ${show(value)}`, fix);
    return {};
  }
  const { service, idField, ...rest } = value as Record<string, unknown>;
  let ok = true;
  if (!hasProto) {
    problem('xPlugin.broker', 'needs xPlugin.proto and xPlugin.service, where its service is defined', fix);
    ok = false;
  }
  if (typeof service !== 'string' || !QUALIFIED.test(service)) {
    problem('xPlugin.broker.service', `must be a fully qualified service name, not ${show(service)}`, fix);
    ok = false;
  }
  if (typeof idField !== 'string' || !FIELD.test(idField)) {
    problem('xPlugin.broker.idField', `must be the name of a request field, not ${show(idField)}`, fix);
    ok = false;
  }
  for (const key of Object.keys(rest)) {
    problem(`xPlugin.broker.${key}`, 'is not a field of xPlugin.broker', fix);
    ok = false;
  }
  return ok ? { broker: Object.freeze({ service: service as string, idField: idField as string }) } : {};
}
