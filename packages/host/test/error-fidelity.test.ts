import { describe, expect, it } from 'vitest';
import type { Isolation } from '../src/index.js';
import { rejection } from './isolation-helpers.js';
import { useEchoHandles } from './wire-fixtures.js';

// DESIGN.md, "Data across isolation": a plugin's error reaches the host as ERR_PLUGIN_CALL whose
// cause keeps name, message, stack, code, the other own data properties, the cause chain and
// AggregateError.errors, as real Errors, the same in a worker and a process as in-process.

const ISOLATIONS: Isolation[] = ['in-process', 'worker', 'process'];
const handles = useEchoHandles(ISOLATIONS);

const BUILT_IN = [AggregateError, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError];

/**
 * What an error shows, as far as the wire can carry it: no stack (the frames below the plugin differ
 * by isolation), no property that is not data (a function), and the built-in class it is (a
 * plugin's own class is not on the host: it arrives as an Error with the same name).
 */
function view(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error) || depth > 10) return value;
  const own = Object.fromEntries(
    Object.keys(value)
      .filter((k) => typeof (value as never)[k] !== 'function')
      .map((k) => [k, (value as never)[k]]),
  );
  return {
    class: (BUILT_IN.find((c) => value instanceof c) ?? Error).name,
    name: value.name,
    message: value.message,
    own,
    cause: 'cause' in value ? view(value.cause, depth + 1) : '(none)',
    errors: value instanceof AggregateError ? value.errors.map((e) => view(e, depth + 1)) : '(none)',
  };
}

async function failure(isolation: Isolation, kind: string) {
  const error = await rejection(handles.get(isolation)!.call('fail', [kind]));
  expect(error.code).toBe('ERR_PLUGIN_CALL');
  return error.cause as Error;
}

describe.each(['worker', 'process'] as const)('errors from a %s plugin', (isolation) => {
  it.each(['coded', 'aggregate', 'custom', 'string', 'object'])(
    '%s: the cause is what it is in-process',
    async (kind) => {
      const local = await failure('in-process', kind);
      const remote = await failure(isolation, kind);
      expect(view(remote)).toEqual(view(local));
    },
  );

  it('keeps the class, code, data properties and the stack; drops what is not data', async () => {
    const cause = await failure(isolation, 'coded');
    expect(cause).toBeInstanceOf(RangeError);
    expect(cause).toMatchObject({
      name: 'RangeError',
      code: 'E_RANGE',
      status: 418,
      detail: { list: [1, 'two', null] },
    });
    expect(Object.keys(cause)).toEqual(['code', 'status', 'detail']); // the function is not data
    expect(cause.stack).toMatch(/^RangeError: bad range\n\s+at .*echo-plugin[/\\]index\.js/);
    expect((cause.cause as Error).cause).toBe('root text');
    expect(Object.getOwnPropertyDescriptor(cause, 'cause')?.enumerable).toBe(false);
  });

  it('keeps AggregateError.errors as real errors', async () => {
    const cause = (await failure(isolation, 'aggregate')) as AggregateError;
    expect(cause).toBeInstanceOf(AggregateError);
    expect(cause.errors[0]).toBeInstanceOf(TypeError);
    expect(cause.errors[1]).toBe('second');
    expect(cause.errors[2]).toMatchObject({ name: 'MyError', message: 'third' });
  });

  it('cuts a cause cycle and a chain deeper than 8, and says so', async () => {
    const cycle = await failure(isolation, 'cycle');
    expect(cycle.message).toBe('a');
    expect((cycle.cause as Error).message).toBe('b');
    expect((cycle.cause as Error).cause).toBeUndefined();
    let deep = await failure(isolation, 'deep');
    let levels = 1;
    while (deep.cause instanceof Error) {
      deep = deep.cause;
      levels++;
    }
    expect(levels).toBe(9);
    expect(deep.message).toBe('level 8');
  });
});
