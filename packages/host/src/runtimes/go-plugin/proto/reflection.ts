import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';

/*
 * The few parts of protobufjs' reflection that the mapping reads, written as interfaces so that
 * @x/host needs no dependency on protobufjs of its own: the protobufjs used is the one that
 * @grpc/proto-loader (an optional peer) brings, so the host and gRPC share one copy.
 */

export interface ProtoEnum {
  readonly name: string;
  readonly fullName: string;
  readonly values: Readonly<Record<string, number>>;
}

export interface ProtoField {
  readonly name: string;
  /** The scalar's name (`int64`, `bytes`) or the referenced type's name as written. */
  readonly type: string;
  readonly repeated: boolean;
  readonly map: boolean;
  /** A map's key type (`string`, `int32`, …). */
  readonly keyType?: string;
  readonly resolvedType: ProtoMessage | ProtoEnum | null;
}

export interface ProtoMessage {
  readonly name: string;
  readonly fullName: string;
  readonly fieldsArray: readonly ProtoField[];
  readonly fields: Readonly<Record<string, ProtoField>>;
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  fromObject(object: object): object;
  toObject(message: object, options: object): Record<string, unknown>;
}

export interface ProtoMethod {
  readonly name: string;
  readonly resolvedRequestType: ProtoMessage | null;
  readonly resolvedResponseType: ProtoMessage | null;
  readonly requestStream?: boolean;
  readonly responseStream?: boolean;
}

export interface ProtoService {
  readonly name: string;
  readonly fullName: string;
  readonly methodsArray: readonly ProtoMethod[];
}

export interface ProtoRoot {
  lookup(path: string): unknown;
  loadSync(file: string, options: object): ProtoRoot;
  resolveAll(): ProtoRoot;
  resolvePath: (origin: string, target: string) => string | null;
  readonly nestedArray: readonly unknown[];
}

interface Protobufjs {
  Root: new () => ProtoRoot;
  Type: abstract new (...args: never[]) => object;
  Enum: abstract new (...args: never[]) => object;
  Service: abstract new (...args: never[]) => object;
}

let protobufjs: Protobufjs | undefined;

/** protobufjs, as @grpc/proto-loader resolves it (it is proto-loader's own dependency). */
function loadProtobufjs(): Protobufjs {
  if (protobufjs === undefined) {
    const loader = createRequire(import.meta.url).resolve('@grpc/proto-loader');
    protobufjs = createRequire(loader)('protobufjs') as Protobufjs;
  }
  return protobufjs;
}

/**
 * Loads a .proto file and its imports, as protoc does with `-I` for each include dir: an import is
 * looked up in each folder in turn. google/protobuf's well-known types (empty, timestamp, …) come
 * from protobufjs' bundled copies when no folder holds them. Throws protobufjs' own error
 * (a syntax error names the file and line), for the caller to word.
 */
export function loadProtoRoot(file: string, includeDirs: readonly string[]): ProtoRoot {
  const { Root } = loadProtobufjs();
  const root = new Root();
  const fallback = root.resolvePath;
  root.resolvePath = (origin, target) => {
    if (isAbsolute(target)) return target;
    for (const dir of includeDirs) {
      const path = join(dir, target);
      try {
        accessSync(path, constants.R_OK);
        return path;
      } catch {
        // Not in this folder: the next one, then protobufjs' bundled google/protobuf files.
      }
    }
    return fallback.call(root, origin, target);
  };
  // keepCase: field names as written in the .proto (go-plugin plugins answer snake_case).
  return root.loadSync(file, { keepCase: true }).resolveAll();
}

/** What a fully qualified name stands for in the loaded files: a service, message, enum or nothing. */
export function lookupKind(
  root: ProtoRoot,
  name: string,
):
  | { kind: 'service'; service: ProtoService }
  | { kind: 'message'; message: ProtoMessage }
  | { kind: 'enum' }
  | undefined {
  const { Type, Enum, Service } = loadProtobufjs();
  let found: unknown;
  try {
    found = root.lookup(name);
  } catch {
    return undefined;
  }
  if (found instanceof Service) return { kind: 'service', service: found as unknown as ProtoService };
  if (found instanceof Type) return { kind: 'message', message: found as unknown as ProtoMessage };
  if (found instanceof Enum) return { kind: 'enum' };
  return undefined;
}

/** Every service the loaded files define, fully qualified (for "did you mean" messages). */
export function serviceNames(root: ProtoRoot): string[] {
  const { Service } = loadProtobufjs();
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (node instanceof Service) out.push((node as unknown as ProtoService).fullName.replace(/^\./, ''));
    const nested = (node as { nestedArray?: unknown[] }).nestedArray;
    if (Array.isArray(nested)) for (const child of nested) walk(child);
  };
  walk(root);
  return out;
}

/** Whether a reflected type is a message (protobufjs resolves a field's type to a Type or an Enum). */
export function isMessage(value: unknown): value is ProtoMessage {
  return value instanceof loadProtobufjs().Type;
}
