import {
  type AnyContract,
  contractToJson,
  type GoPluginBroker,
  type JsonSchema,
  PluginError,
} from '@x/contract';
import { type Codec, fieldCodec, isMismatch, type Mismatch, ValueProblem } from './proto/field-codec.js';
import { loadService, rpcName } from './proto/index.js';
import type { ProtoMessage, ProtoService } from './proto/reflection.js';

const TO_OBJECT = { longs: String, enums: String, defaults: true, arrays: true, objects: true } as const;

/** One host function served as one unary rpc of the host service. */
export interface HostRpc {
  readonly fn: string;
  readonly rpc: string;
  /** The host function's arguments from the plugin's request; ValueProblem when they do not fit. */
  decodeArgs(request: Uint8Array): unknown[];
  /** The response message for its answer. */
  encodeResult(value: unknown): Uint8Array;
}

/** The host service (xPlugin.broker.service) and, per contract method, whether its request carries the broker id. */
export interface HostService {
  readonly service: string;
  readonly rpcs: readonly HostRpc[];
  /** Adds the broker id to a contract method's request, or undefined when its request has no id field. */
  readonly withId: Readonly<Record<string, ((request: Uint8Array, id: number) => Uint8Array) | undefined>>;
}

function mismatch(
  plugin: string,
  contract: string,
  service: string,
  where: string,
  why: string,
): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CONTRACT',
    plugin,
    what: `Plugin "${plugin}"'s host service ${service} does not fit the "${contract}" contract's host functions at ${where}.`,
    why,
    fix: "Make the contract's host section fit the .proto (one host function per rpc, its params the request's fields, its result the response's one field), or point xPlugin.broker at the service the plugin dials.",
    details: { reason: 'proto', service, where },
  });
}

const fits = (c: Codec | Mismatch, fail: (why: string) => never): Codec =>
  isMismatch(c)
    ? fail(
        `${c.path} is ${c.schemaType} in the contract, and ${c.protoType} in the .proto${c.why ? `: ${c.why}` : ''}`,
      )
    : c;

/**
 * Maps the contract's host functions onto the service the host serves through go-plugin's
 * GRPCBroker, and finds which of the plugin's requests carry its broker id (a uint32 field named
 * `broker.idField`), all checked at load: a host function without an rpc, a field that does not
 * fit, an id field of another type, or no request carrying it, each names where.
 */
export function mapHostService(
  plugin: string,
  packageDir: string,
  contract: AnyContract,
  proto: string,
  pluginService: string,
  broker: GoPluginBroker,
): HostService {
  const json = contractToJson(contract);
  const host = json.host ?? {};
  const service = loadService(plugin, packageDir, contract, { proto, service: broker.service }).service;
  const rpcs = Object.entries(host).map(([fn, spec]) => hostRpc(plugin, contract.name, service, fn, spec));
  const main = loadService(plugin, packageDir, contract, { proto, service: pluginService }).service;
  const withId: Record<string, ((request: Uint8Array, id: number) => Uint8Array) | undefined> = {};
  for (const method of Object.keys(json.methods)) {
    const request = main.methodsArray.find((m) => m.name === rpcName(method))?.resolvedRequestType;
    const field = request?.fields[broker.idField];
    if (request == null || field === undefined) continue;
    if (field.type !== 'uint32' || field.repeated || field.map) {
      throw mismatch(
        plugin,
        contract.name,
        broker.service,
        `${method}()`,
        `${request.fullName.replace(/^\./, '')}.${broker.idField} (xPlugin.broker.idField) is ${field.type}; go-plugin's broker ids are uint32.`,
      );
    }
    withId[method] = (bytes, id) => {
      const message = request.decode(bytes) as Record<string, unknown>;
      message[broker.idField] = id;
      return request.encode(message).finish();
    };
  }
  if (Object.values(withId).every((f) => f === undefined)) {
    throw mismatch(
      plugin,
      contract.name,
      broker.service,
      'xPlugin.broker.idField',
      `No request of ${pluginService} has a field "${broker.idField}", so the plugin would never learn where to dial the host.`,
    );
  }
  return { service: broker.service, rpcs, withId };
}

function hostRpc(
  plugin: string,
  contract: string,
  service: ProtoService,
  fn: string,
  spec: { params: readonly { name: string; type: JsonSchema }[]; returns: JsonSchema },
): HostRpc {
  const name = rpcName(fn);
  const fail = (why: string): never => {
    throw mismatch(plugin, contract, service.fullName.replace(/^\./, ''), `${fn}()`, why);
  };
  const rpc = service.methodsArray.find((m) => m.name === name);
  if (rpc === undefined) {
    fail(`It has no rpc ${name} (its rpcs: ${service.methodsArray.map((m) => m.name).join(', ') || 'none'})`);
  }
  if (rpc!.requestStream || rpc!.responseStream) fail(`rpc ${name} streams; host functions are unary rpcs`);
  const request = rpc!.resolvedRequestType as ProtoMessage;
  const response = rpc!.resolvedResponseType as ProtoMessage;
  const params = spec.params.map((p): [string, Codec] => {
    const field = request.fields[p.name];
    if (field === undefined) fail(`${request.name} has no field "${p.name}" for the param ${p.name}`);
    return [p.name, fits(fieldCodec(field!, p.type, p.name), fail)];
  });
  let encodeResult: (value: unknown) => Record<string, unknown>;
  if (spec.returns.type === 'void') encodeResult = () => ({});
  else {
    const [only, ...more] = response.fieldsArray;
    if (only === undefined || more.length > 0)
      fail(
        `${response.name} should have one field, the host function's result; it has ${response.fieldsArray.length}`,
      );
    const result = fits(fieldCodec(only!, spec.returns, '(result)'), fail);
    encodeResult = (value) => ({ [only!.name]: result.encode(value, '(result)') });
  }
  return {
    fn,
    rpc: name,
    decodeArgs(bytes) {
      let obj: Record<string, unknown>;
      try {
        obj = request.toObject(request.decode(bytes), TO_OBJECT);
      } catch (error) {
        throw new ValueProblem('(request)', `a ${request.name} message`, (error as Error).message);
      }
      return params.map(([p, codec]) => codec.decode(obj[p], p));
    },
    encodeResult: (value) => response.encode(response.fromObject(encodeResult(value))).finish(),
  };
}
