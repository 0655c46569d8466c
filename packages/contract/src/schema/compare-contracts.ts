import type { AnyContract } from '../define-contract.js';
import { type ContractJson, contractToJson, type MethodJson } from './contract-json.js';
import { describeSchema } from './describe-schema.js';
import type { JsonSchema } from './json-schema.js';
import { schemaRelation } from './subschema.js';

/** One difference between two contracts, one kind per row of docs/compatibility.md's table. */
export type ContractChangeKind =
  | 'version-major'
  | 'method-missing'
  | 'method-added'
  | 'param-added-required'
  | 'param-added-optional'
  | 'param-removed'
  | 'param-became-required'
  | 'param-became-optional'
  | 'param-renamed'
  | 'type-changed'
  | 'type-narrowed'
  | 'type-widened'
  | 'result-widened'
  | 'result-narrowed'
  | 'stream-changed'
  | 'host-function-missing'
  | 'config-changed';

export interface ContractChange {
  readonly kind: ContractChangeKind;
  /** The method (or `host.<fn>`, or `config`) it concerns. */
  readonly method: string;
  readonly breaking: boolean;
  readonly message: string;
}

export interface ContractComparison {
  /** No breaking change: a plugin built against `plugin` works with a host built against `host`. */
  readonly compatible: boolean;
  readonly changes: readonly ContractChange[];
}

type Side = AnyContract | ContractJson;

function major(version: string | undefined): string | undefined {
  const m = /^(\d+)\.(\d+)\./.exec(version ?? '');
  if (m === null) return undefined;
  return m[1] === '0' ? `0.${m[2]}` : m[1];
}

/**
 * Compares two sets of functions through which values flow `caller → callee` as arguments and
 * `callee → caller` as answers: an argument's schema may widen on the callee's side, an answer's
 * may narrow, and nothing else may change.
 */
function compareCalls(
  caller: Readonly<Record<string, MethodJson>>,
  callee: Readonly<Record<string, MethodJson>>,
  prefix: string,
  missingKind: ContractChangeKind,
  add: (c: ContractChange) => void,
): void {
  for (const [name, want] of Object.entries(caller)) {
    const method = `${prefix}${name}`;
    const has = callee[name];
    const change = (kind: ContractChangeKind, breaking: boolean, message: string) =>
      add({ kind, method, breaking, message: `${method}: ${message}` });
    if (has === undefined) {
      change(missingKind, true, 'is missing, and is called.');
      continue;
    }
    const count = Math.max(want.params.length, has.params.length);
    for (let i = 0; i < count; i++) {
      const w = want.params[i];
      const h = has.params[i];
      if (w === undefined && h !== undefined) {
        if (h.optional) change('param-added-optional', false, `the optional param "${h.name}" was added.`);
        else
          change(
            'param-added-required',
            true,
            `the param "${h.name}" was added as required; callers do not pass it.`,
          );
        continue;
      }
      if (w === undefined || h === undefined) {
        change('param-removed', true, `the param "${w!.name}" was removed; callers still pass it.`);
        continue;
      }
      if (w.name !== h.name)
        change('param-renamed', false, `param ${i + 1} "${w.name}" is now named "${h.name}".`);
      if (w.optional && !h.optional)
        change(
          'param-became-required',
          true,
          `the param "${h.name}" became required; callers may leave it out.`,
        );
      if (!w.optional && h.optional)
        change('param-became-optional', false, `the param "${h.name}" became optional.`);
      const relation = schemaRelation(w.type, h.type);
      const types = `from ${describeSchema(w.type)} to ${describeSchema(h.type)}`;
      if (relation === 'wider') change('type-widened', false, `the param "${h.name}" widened ${types}.`);
      if (relation === 'narrower')
        change(
          'type-narrowed',
          true,
          `the param "${h.name}" narrowed ${types}; callers may pass what it refuses.`,
        );
      if (relation === 'changed') change('type-changed', true, `the param "${h.name}" changed ${types}.`);
    }
    compareResult(want.returns, has.returns, change);
  }
}

function compareResult(
  want: JsonSchema,
  has: JsonSchema,
  change: (kind: ContractChangeKind, breaking: boolean, message: string) => void,
): void {
  const types = `from ${describeSchema(want)} to ${describeSchema(has)}`;
  if ((want.type === 'AsyncIterator') !== (has.type === 'AsyncIterator')) {
    change(
      'stream-changed',
      true,
      `the result changed ${types}; a stream and a single value are not interchangeable.`,
    );
    return;
  }
  const relation = schemaRelation(want, has);
  if (relation === 'narrower')
    change('result-narrowed', false, `the result narrowed ${types}; the caller reads every value.`);
  if (relation === 'wider')
    change('result-widened', true, `the result widened ${types}; the caller cannot read every value.`);
  if (relation === 'changed') change('type-changed', true, `the result changed ${types}.`);
}

/**
 * Structural compatibility (protobuf/buf's breaking-change rules, for JSON Schema): may a plugin
 * built against `plugin` be loaded by a host built against `host`? Pure: no I/O, no plugin code.
 * @example const { compatible, changes } = compareContracts(hostContract, stamp.schema);
 */
export function compareContracts(host: Side, plugin: Side): ContractComparison {
  const h = contractToJson(host as AnyContract);
  const p = contractToJson(plugin as AnyContract);
  const changes: ContractChange[] = [];
  const add = (c: ContractChange) => changes.push(c);
  const hostMajor = major(h.version);
  const pluginMajor = major(p.version);
  if (hostMajor !== undefined && pluginMajor !== undefined && hostMajor !== pluginMajor) {
    add({
      kind: 'version-major',
      method: '(contract)',
      breaking: true,
      message: `(contract): version ${p.version} is on another major line than ${h.version}; a major version says it breaks.`,
    });
  }
  // Host → plugin: the host calls the plugin's methods.
  compareCalls(h.methods, p.methods, '', 'method-missing', add);
  for (const name of Object.keys(p.methods)) {
    if (h.methods[name] === undefined) {
      add({
        kind: 'method-added',
        method: name,
        breaking: false,
        message: `${name}: a new method, which this host does not call.`,
      });
    }
  }
  // Plugin → host: the plugin calls the host functions it was built with.
  compareCalls(p.host ?? {}, h.host ?? {}, 'host.', 'host-function-missing', add);
  if (p.config !== undefined) {
    const relation = schemaRelation(h.config ?? {}, p.config);
    if (relation === 'narrower' || relation === 'changed') {
      add({
        kind: 'config-changed',
        method: 'config',
        breaking: true,
        message: `config: the plugin expects ${describeSchema(p.config)}, but the host gives ${describeSchema(h.config ?? {})}.`,
      });
    }
  }
  return { compatible: !changes.some((c) => c.breaking), changes };
}
