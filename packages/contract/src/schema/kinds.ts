// TypeBox's own symbols, by their global names (TypeBox defines them with Symbol.for), so that
// schemas built here are TypeBox schemas without importing TypeBox at run time.
export const KIND: unique symbol = Symbol.for('TypeBox.Kind') as never;
export const OPTIONAL: unique symbol = Symbol.for('TypeBox.Optional') as never;

type Schema = Record<string | symbol, unknown>;
type Options = Record<string, unknown>;

function kind(name: string, schema: Options): Schema {
  return { ...schema, [KIND]: name };
}

/**
 * The few TypeBox builders toTypeBox needs, written as TypeBox writes its schemas (JSON Schema and
 * a Kind), so that defining a contract never loads TypeBox itself; only compiling one does.
 */
export const Type = Object.freeze({
  String: (o: Options = {}) => kind('String', { ...o, type: 'string' }),
  Number: (o: Options = {}) => kind('Number', { ...o, type: 'number' }),
  Integer: (o: Options = {}) => kind('Integer', { ...o, type: 'integer' }),
  Boolean: () => kind('Boolean', { type: 'boolean' }),
  Null: () => kind('Null', { type: 'null' }),
  Void: () => kind('Void', { type: 'void' }),
  Unknown: () => kind('Unknown', {}),
  Uint8Array: (o: Options = {}) => kind('Uint8Array', { ...o, type: 'Uint8Array' }),
  BigInt: () => kind('BigInt', { type: 'bigint' }),
  Date: () => kind('Date', { type: 'Date' }),
  Literal: (value: string | number | boolean) => kind('Literal', { const: value, type: typeof value }),
  Union: (anyOf: Schema[]) => kind('Union', { anyOf }),
  Array: (items: Schema, o: Options = {}) => kind('Array', { ...o, type: 'array', items }),
  AsyncIterator: (items: Schema) => kind('AsyncIterator', { type: 'AsyncIterator', items }),
  Record: (values: Schema, o: Options = {}) =>
    kind('Record', { ...o, type: 'object', patternProperties: { '^(.*)$': values } }),
  Optional: (schema: Schema): Schema => ({ ...schema, [OPTIONAL]: 'Optional' }),
  Object: (properties: Record<string, Schema>, o: Options = {}) => {
    const required = Object.keys(properties).filter((k) => properties[k]![OPTIONAL] !== 'Optional');
    return kind('Object', { ...o, type: 'object', properties, ...(required.length > 0 ? { required } : {}) });
  },
});
