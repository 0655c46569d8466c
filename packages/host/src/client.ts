import {
  type AnyContract,
  type Client,
  describeKind,
  isStreamReturn,
  matchesKind,
  PluginError,
} from '@x/contract';

export interface CallOptions {
  /** Cancels the call: it fails with ERR_PLUGIN_TIMEOUT and the plugin is told to stop. */
  readonly signal?: AbortSignal;
  /** Fails the call with ERR_PLUGIN_TIMEOUT after this many milliseconds. */
  readonly timeout?: number;
}

const NO_OPTIONS: CallOptions = Object.freeze({});

export type Invoke = (method: string, args: unknown[], options: CallOptions) => Promise<unknown>;
/** talkback: opens a stream method's AsyncIterable (absent where streams are not supported). */
export type OpenStream = (method: string, args: unknown[], options: CallOptions) => AsyncIterable<unknown>;

/**
 * The typed face of a plugin, the same in every isolation: each contract method checks its
 * arguments, calls through `invoke`, and checks the answer against the contract, so that a plugin
 * that answers a number where a string was promised is reported rather than passed on.
 */
export function createClient<C extends AnyContract>(
  contract: C,
  plugin: string,
  invoke: Invoke,
  stream?: OpenStream,
): { client: Client<C>; call: (method: string, args: unknown[], options?: CallOptions) => Promise<unknown> } {
  const call = async (method: string, args: unknown[], options: CallOptions = NO_OPTIONS) => {
    const spec = contract.methods[method];
    if (spec === undefined) {
      throw new PluginError({
        code: 'ERR_PLUGIN_CONTRACT',
        plugin,
        what: `The "${contract.name}" contract has no method "${method}".`,
        why: `Its methods are: ${Object.keys(contract.methods).join(', ')}.`,
        fix: 'Call one of those methods.',
        details: { method },
      });
    }
    if (args.length !== spec.params.length || spec.params.some((p, i) => !matchesKind(p.type, args[i]))) {
      const expected = spec.params.map((p) => `${p.name}: ${p.type}`).join(', ');
      throw new PluginError({
        code: 'ERR_PLUGIN_CONTRACT',
        plugin,
        what: `${contract.name}.${method} was called with the wrong arguments.`,
        why: `It takes (${expected}) but got (${args.map(describeKind).join(', ')}).`,
        fix: `Pass ${spec.params.length} argument(s): ${expected || 'none'}.`,
        details: { method, expected: spec.params, actual: args.map(describeKind) },
      });
    }
    // talkback hook: a stream method answers an AsyncIterable (docs/protocol.md, "Streams").
    if (isStreamReturn(spec.returns)) return openStream(method, args, options);
    const result = await invoke(method, args, options);
    if (!matchesKind(spec.returns, result)) {
      throw new PluginError({
        code: 'ERR_PLUGIN_CONTRACT',
        plugin,
        what: `Plugin "${plugin}" answered ${contract.name}.${method} with a ${describeKind(result)}.`,
        why: `The "${contract.name}" contract says ${method} returns a ${spec.returns}.`,
        fix: `Fix the plugin's ${method} so that it returns a ${spec.returns}.`,
        details: { method, expected: spec.returns, actual: describeKind(result) },
      });
    }
    return spec.returns === 'void' ? undefined : result;
  };
  const openStream = (method: string, args: unknown[], options: CallOptions) => {
    if (stream === undefined) {
      throw new PluginError({
        code: 'ERR_PLUGIN_CONTRACT',
        plugin,
        what: `${contract.name}.${method} returns a stream, which this kind of plugin cannot send.`,
        why: 'Streams run in-process, in a worker or in a process; go-plugin streams are not supported yet.',
        fix: 'Load the plugin in another isolation, or use a method that returns a value.',
        details: { method },
      });
    }
    return stream(method, args, options);
  };
  const client = Object.create(null) as Record<string, (...args: unknown[]) => unknown>;
  for (const method of Object.keys(contract.methods)) {
    // A stream method gives its AsyncIterable at once (`for await (const x of plugin.tiles(img))`);
    // a wrong argument rejects its first next().
    client[method] = isStreamReturn(contract.methods[method]?.returns)
      ? (...args) => deferredIterable(() => call(method, args) as Promise<AsyncIterable<unknown>>)
      : (...args) => call(method, args);
  }
  return { client: Object.freeze(client) as Client<C>, call };
}

export function callFailed(plugin: string, method: string, cause: unknown): PluginError {
  if (PluginError.isInstance(cause)) return cause;
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new PluginError({
    code: 'ERR_PLUGIN_CALL',
    plugin,
    what: `Plugin "${plugin}" threw from ${method}().`,
    why: reason,
    fix: "This is the plugin's own error; see its cause, and report it to the plugin's author if it is a bug.",
    cause,
    details: { method },
  });
}

export function timedOut(plugin: string, method: string, ms: number | undefined): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_TIMEOUT',
    plugin,
    what: `Plugin "${plugin}" did not answer ${method}() in time.`,
    why: ms === undefined ? 'The call was cancelled by its AbortSignal.' : `It took longer than ${ms} ms.`,
    fix: 'Raise the timeout (the timeout option, or --timeout), or find why the plugin hangs.',
    details: { method, timeout: ms },
  });
}

/** An AsyncIterable whose source is made on its first next(). */
function deferredIterable(make: () => Promise<AsyncIterable<unknown>>): AsyncIterable<unknown> {
  return {
    [Symbol.asyncIterator]() {
      let inner: Promise<AsyncIterator<unknown>> | undefined;
      const get = () => {
        inner ??= make().then((it) => it[Symbol.asyncIterator]());
        return inner;
      };
      return {
        next: async () => (await get()).next(),
        return: async () =>
          inner === undefined
            ? { done: true, value: undefined }
            : ((await (await inner).return?.()) ?? { done: true, value: undefined }),
      };
    },
  };
}
