import { type AnyContract, contractToJson, describeSchema, type JsonSchema, PluginError } from '@x/contract';
import {
  type Codec,
  fieldCodec,
  isMismatch,
  type Mismatch,
  typeName,
  ValueProblem,
  valueCodec,
} from './field-codec.js';
import type { ProtoMessage, ProtoMethod, ProtoService } from './reflection.js';

/** One contract method as one unary rpc: its gRPC path and how its values cross. */
export interface RpcMapping {
  readonly method: string;
  /** The rpc's own name (`Get`), and its gRPC path (`/proto.KV/Get`). */
  readonly rpc: string;
  readonly path: string;
  /** A server-streaming rpc (a `t.stream(T)` method): `decode` then turns each message into one item. */
  readonly serverStreaming: boolean;
  /** The request message for these arguments; a PluginError blaming the caller when they do not fit. */
  encode(args: readonly unknown[]): Uint8Array;
  /** The method's result (or one stream item) from a response message; a PluginError blaming the plugin when it does not fit. */
  decode(response: Uint8Array): unknown;
}

/** A contract's methods, each mapped onto an rpc of one gRPC service, checked at load. */
export interface ServiceMapping {
  /** The service's fully qualified name (`proto.KV`). */
  readonly service: string;
  readonly methods: Readonly<Record<string, RpcMapping>>;
}

/** A contract method's rpc: its name with the first letter upper-cased (`get` → `Get`, `getUser` → `GetUser`). */
export const rpcName = (method: string) => method.charAt(0).toUpperCase() + method.slice(1);

const TO_OBJECT = { longs: String, enums: String, defaults: true, arrays: true, objects: true } as const;

const isObjectSchema = (s: JsonSchema) =>
  s.type === 'object' && typeof s.properties === 'object' && s.properties !== null;
const isUnknownSchema = (s: JsonSchema) =>
  s.type === undefined && s.anyOf === undefined && s.const === undefined && s.enum === undefined;

interface Where {
  readonly plugin: string;
  readonly contract: string;
  readonly service: string;
  readonly method: string;
  readonly rpc: string;
}

function disagreement(w: Where, m: Mismatch, part: 'param' | 'result'): PluginError {
  const side = part === 'param' ? 'request' : 'response';
  return new PluginError({
    code: 'ERR_PLUGIN_CONTRACT',
    plugin: w.plugin,
    what: `Plugin "${w.plugin}"'s gRPC service ${w.service} does not fit the "${w.contract}" contract at ${w.method}().`,
    why: `The ${part}${part === 'result' && (m.path === '' || m.path === '(result)') ? '' : ` ${part === 'result' ? `(${m.path})` : m.path}`} is ${m.schemaType} in the contract, and ${w.rpc}'s ${side} carries it as ${m.protoType}${m.why ? `: ${m.why}` : ''}.`,
    fix: "Make the contract's schema fit the .proto (int64 ↔ t.bigint(), bytes ↔ t.bytes(), repeated ↔ t.array, message ↔ t.object, map ↔ t.record, enum ↔ t.enum; see docs/polyglot.md), or point xPlugin.proto and xPlugin.service at the service the plugin serves.",
    details: {
      reason: 'proto',
      method: w.method,
      rpc: w.rpc,
      service: w.service,
      side,
      field: m.path,
      protoType: m.protoType,
      schemaType: m.schemaType,
    },
  });
}

function missingRpc(w: Where, service: ProtoService, why: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CONTRACT',
    plugin: w.plugin,
    what: `Plugin "${w.plugin}"'s gRPC service ${w.service} does not fit the "${w.contract}" contract at ${w.method}().`,
    why: `${why} (its rpcs: ${service.methodsArray.map((m) => m.name).join(', ') || 'none'}).`,
    fix: `Name the contract method after the rpc (rpc ${w.rpc} ↔ method ${w.method}, the first letter lower-cased), or point xPlugin.service at the service that has it.`,
    details: { reason: 'proto', method: w.method, rpc: w.rpc, service: w.service },
  });
}

/** A value of one call that did not fit: the host's caller's (`side: 'host'`) or the plugin's answer. */
function badValue(w: Where, problem: ValueProblem, side: 'host' | 'plugin'): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CONTRACT',
    plugin: w.plugin,
    what:
      side === 'host'
        ? `${w.method}() of plugin "${w.plugin}" was called with a value its gRPC request cannot carry; nothing was sent.`
        : `Plugin "${w.plugin}" answered ${w.method}() with a value the contract does not allow.`,
    why: `${problem.message} (rpc ${w.service}/${w.rpc}).`,
    fix:
      side === 'host'
        ? `Pass ${problem.expected} at ${problem.path}.`
        : "This is the plugin's fault: report it to its author, or widen the contract's schema.",
    cause: problem,
    details: {
      side,
      method: w.method,
      rpc: w.rpc,
      path: problem.path,
      expected: problem.expected,
      actual: problem.actual,
    },
  });
}

/** How the params become the request: one field each by name, or one object param as the whole message. */
function requestCodec(
  w: Where,
  request: ProtoMessage,
  params: readonly { name: string; type: JsonSchema }[],
) {
  const [only] = params;
  if (only !== undefined && params.length === 1 && request.fields[only.name] === undefined) {
    if (isObjectSchema(only.type) || isUnknownSchema(only.type)) {
      const whole = valueCodec(typeName(request), request, only.type, only.name);
      if (isMismatch(whole)) throw disagreement(w, whole, 'param');
      return (args: readonly unknown[]) => whole.encode(args[0] ?? {}, only.name) as Record<string, unknown>;
    }
  }
  const codecs: [string, Codec][] = params.map((p) => {
    const field = request.fields[p.name];
    const c: Codec | Mismatch =
      field === undefined
        ? {
            mismatch: true,
            path: p.name,
            protoType: '(no such field)',
            schemaType: 'a param',
            why: `message ${typeName(request)} has no field "${p.name}" (its fields: ${request.fieldsArray.map((f) => f.name).join(', ') || 'none'})`,
          }
        : fieldCodec(field, p.type, p.name);
    if (isMismatch(c)) throw disagreement(w, c, 'param');
    return [p.name, c];
  });
  return (args: readonly unknown[]) => {
    const out: Record<string, unknown> = {};
    codecs.forEach(([name, c], i) => {
      if (args[i] !== undefined && args[i] !== null) out[name] = c.encode(args[i], name);
    });
    return out;
  };
}

/** How the response becomes the result: nothing (void), the whole message, or its one field. */
function responseCodec(
  w: Where,
  response: ProtoMessage,
  returns: JsonSchema,
): (obj: Record<string, unknown>) => unknown {
  if (returns.type === 'void') return () => undefined;
  const fields = response.fieldsArray;
  let whole: Codec | Mismatch | undefined;
  if (isObjectSchema(returns) || isUnknownSchema(returns)) {
    whole = valueCodec(typeName(response), response, returns, '');
    if (!isMismatch(whole)) {
      const c = whole;
      return (obj) => c.decode(obj, '(result)');
    }
  }
  const [one] = fields;
  if (one !== undefined && fields.length === 1) {
    const c = fieldCodec(one, returns, '(result)');
    if (!isMismatch(c))
      return (obj) => (obj[one.name] === null ? undefined : c.decode(obj[one.name], '(result)'));
    if (whole === undefined)
      throw disagreement(w, { ...c, path: `${typeName(response)}.${one.name}` }, 'result');
  }
  if (whole !== undefined && isMismatch(whole)) throw disagreement(w, whole, 'result');
  throw disagreement(
    w,
    {
      mismatch: true,
      path: '(result)',
      protoType: `${typeName(response)} (${fields.length} fields)`,
      schemaType: JSON.stringify(returns.type ?? 'a schema'),
      why:
        fields.length === 0
          ? "it carries nothing: declare returns: 'void'"
          : 'a response of several fields maps to t.object({...}) with them',
    },
    'result',
  );
}

function mapMethod(
  w: Where,
  service: ProtoService,
  rpc: ProtoMethod | undefined,
  spec: { params: readonly { name: string; type: JsonSchema }[]; returns: JsonSchema },
): RpcMapping {
  if (rpc === undefined) throw missingRpc(w, service, `It has no rpc ${w.rpc}`);
  if (rpc.requestStream)
    throw missingRpc(
      w,
      service,
      `rpc ${w.rpc} streams its requests, and this release maps unary and server-streaming rpcs only`,
    );
  const request = rpc.resolvedRequestType!;
  const response = rpc.resolvedResponseType!;
  // A server-streaming rpc is a t.stream(T) method: each response message is one item of type T.
  const streams = spec.returns.type === 'AsyncIterator';
  if (streams !== Boolean(rpc.responseStream)) {
    throw disagreement(
      w,
      {
        mismatch: true,
        path: '(result)',
        protoType: `${rpc.responseStream ? 'stream ' : ''}${typeName(response)}`,
        schemaType: describeSchema(spec.returns),
        why: streams
          ? 'a t.stream(T) method maps to a server-streaming rpc (returns (stream T))'
          : 'a server-streaming rpc maps to returns: t.stream(T)',
      },
      'result',
    );
  }
  const toRequest = requestCodec(w, request, spec.params);
  const items = streams && typeof spec.returns.items === 'object' ? (spec.returns.items as JsonSchema) : {};
  const toResult = responseCodec(w, response, streams ? items : spec.returns);
  return {
    method: w.method,
    rpc: w.rpc,
    path: `/${w.service}/${w.rpc}`,
    serverStreaming: streams,
    encode(args) {
      try {
        return request.encode(request.fromObject(toRequest(args))).finish();
      } catch (error) {
        // Whatever the encoding refuses is the caller's value, never the plugin's fault.
        const problem =
          error instanceof ValueProblem
            ? error
            : new ValueProblem(
                '(arguments)',
                `values a ${typeName(request)} can hold`,
                (error as Error).message,
              );
        throw badValue(w, problem, 'host');
      }
    },
    decode(bytes) {
      let obj: Record<string, unknown>;
      try {
        obj = response.toObject(response.decode(bytes), TO_OBJECT);
      } catch (error) {
        throw badValue(
          w,
          new ValueProblem(
            '(result)',
            `a ${typeName(response)} message`,
            `bytes protobuf cannot decode (${(error as Error).message})`,
          ),
          'plugin',
        );
      }
      try {
        return toResult(obj);
      } catch (error) {
        const problem =
          error instanceof ValueProblem
            ? error
            : new ValueProblem(
                '(result)',
                `a ${typeName(response)} the contract holds`,
                (error as Error).message,
              );
        throw badValue(w, problem, 'plugin');
      }
    },
  };
}

/**
 * Maps every method of the contract onto an rpc of the service, checking, before any call, that
 * each has one and that the messages' fields fit the schemas; the first disagreement is a
 * PluginError naming the method, the field, the proto type and the schema type.
 */
export function mapService(plugin: string, contract: AnyContract, service: ProtoService): ServiceMapping {
  const json = contractToJson(contract);
  const name = typeName(service);
  const methods: Record<string, RpcMapping> = {};
  for (const [method, spec] of Object.entries(json.methods)) {
    const rpc = rpcName(method);
    const w: Where = { plugin, contract: contract.name, service: name, method, rpc };
    methods[method] = mapMethod(
      w,
      service,
      service.methodsArray.find((m) => m.name === rpc),
      spec,
    );
  }
  return { service: name, methods };
}
