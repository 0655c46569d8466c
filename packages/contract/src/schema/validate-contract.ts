import type { MethodSpec } from '../define-contract.js';
import { isStreamReturn } from '../talkback/stream-return.js';
import { isOptionalSchema, schemaJson } from './json-schema.js';

const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
// semver.org's own regular expression: the contract package need not depend on `semver`.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

// A method named like a property every object has would be found on any export, conform by
// accident, or (`then`) turn the client into a thenable that `await` swallows.
const RESERVED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'then']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a param may be left out: `t.optional(...)` or `optional: true`. */
export function isOptionalParam(param: { readonly type: unknown; readonly optional?: boolean }): boolean {
  return param.optional === true || isOptionalSchema(param.type);
}

function validateMethod(where: string, spec: unknown): void {
  if (!isRecord(spec)) throw new TypeError(`${where} must be an object with params and returns.`);
  const m = spec as unknown as MethodSpec;
  if (!Array.isArray(m.params)) throw new TypeError(`${where}.params must be a list.`);
  const seen = new Set<string>();
  let optionalFrom: string | undefined;
  m.params.forEach((param: unknown, i) => {
    const at = `${where}.params[${i}]`;
    if (!isRecord(param) || typeof param.name !== 'string' || param.name === '') {
      throw new TypeError(`${at} has no name; every param needs one (the CLI, docs and errors use it).`);
    }
    if (seen.has(param.name)) throw new TypeError(`${at}: the param name "${param.name}" is used twice.`);
    seen.add(param.name);
    if (param.type === undefined) throw new TypeError(`${at} (${param.name}) has no type.`);
    schemaJson(param.type, `${at} (${param.name})`);
    if (isStreamReturn(param.type)) {
      throw new TypeError(`${at} (${param.name}): t.stream is for returns only, not params.`);
    }
    const optional = isOptionalParam(param as never);
    if (optional) optionalFrom ??= param.name;
    else if (optionalFrom !== undefined) {
      throw new TypeError(
        `${at}: the required param "${param.name}" follows the optional "${optionalFrom}"; optional params go last.`,
      );
    }
  });
  if (m.returns === undefined) throw new TypeError(`${where} has no returns (use 'void' for none).`);
  schemaJson(m.returns, `${where}.returns`);
}

function validateMethods(where: string, methods: unknown): void {
  if (!isRecord(methods)) throw new TypeError(`${where} must be an object of methods.`);
  for (const [method, spec] of Object.entries(methods)) {
    if (RESERVED.has(method)) {
      throw new TypeError(
        `${where}: "${method}" cannot be a method name; every JavaScript object already has it.`,
      );
    }
    validateMethod(`${where}.${method}`, spec);
  }
}

/** Throws a TypeError for the first thing in `spec` that a host could not honour. */
export function validateContract(spec: unknown): void {
  if (!isRecord(spec)) throw new TypeError('defineContract needs a contract object.');
  const { name, version } = spec;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new TypeError(
      `Contract name ${JSON.stringify(name)} must be lower-case letters, digits and dashes.`,
    );
  }
  if (version !== undefined && (typeof version !== 'string' || !SEMVER.test(version))) {
    throw new TypeError(
      `Contract "${name}": version ${JSON.stringify(version)} is not a semver version (1.2.0).`,
    );
  }
  validateMethods(`Contract "${name}": methods`, spec.methods);
  if (spec.host !== undefined) validateMethods(`Contract "${name}": host`, spec.host);
  if (spec.config !== undefined) schemaJson(spec.config, `Contract "${name}": config`);
}
