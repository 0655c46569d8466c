import { checkConformance } from '../conformance.js';
import type { AnyContract } from '../define-contract.js';
import { disposeSymbol, runDisposeHooks } from './dispose-hooks.js';
import { type HostSpec, readHostSpec } from './host-spec.js';
import { type CancelSource, LazyAbort } from './lazy-abort.js';

// The factory form of definePlugin (`definePlugin(contract, (ctx) => implementation)`), as plain
// data that both sides read without importing the SDK: the exported object carries, under a
// Symbol.for marker, the contract and the factory. Whoever runs the plugin (the in-process host,
// the worker/process bootstrap, the SDK's serve()) calls instantiatePlugin() with what it can give
// the plugin (config, a logger, a way to reach the host's functions), and gets back an instance.
// One instance per load: two loads of the same module with different config never share one.

/** The marker under which definePlugin's factory form keeps `{ contract, create }`. */
export const PLUGIN_FACTORY: unique symbol = Symbol.for('x.plugin.factory') as never;

export interface PluginFactoryRecord {
  readonly contract: AnyContract;
  readonly create: (ctx: PluginContext) => unknown;
}

export interface PluginLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What a factory receives: `ctx.host`, `ctx.config`, `ctx.logger`, `ctx.onDispose`. */
export interface PluginContext<
  H = Readonly<Record<string, (...args: never[]) => Promise<unknown>>>,
  Config = unknown,
> {
  readonly host: H;
  readonly config: Config;
  readonly logger: PluginLogger;
  /** Runs `fn` when the host closes the plugin (hooks run last-registered first). */
  onDispose(fn: () => unknown): void;
}

/** The last argument every method receives, after its declared params. */
export interface MethodContext {
  readonly signal: AbortSignal;
}

/** Holds the current call's context across awaits (an AsyncLocalStorage fits). */
export interface CallScope {
  run<T>(call: MethodContext, fn: () => T): T;
  getStore(): MethodContext | undefined;
}

/** What the side that runs the plugin gives it. */
export interface InstanceEnvironment {
  readonly config: unknown;
  readonly logger: PluginLogger;
  /** Calls one host function; `signal` is the calling method's (cancelled with it). */
  readonly callHost: (fn: string, args: unknown[], cancel: CancelSource | undefined) => Promise<unknown>;
  /** Without a scope, a host function is cancelled only when passed `{ signal }` as its last argument. */
  readonly scope?: CallScope;
}

export interface PluginInstance {
  /** The object whose methods are called. */
  readonly target: Record<string, unknown>;
  /**
   * Calls `method` with `args` and the trailing `{ signal }` (`call`: a LazyAbort, so that the
   * signal is made only if read), inside the call scope.
   */
  invoke(method: string, args: readonly unknown[], call: MethodContext): unknown;
  /**
   * Runs `pull` (one `next()` of a stream method's generator) inside `call`'s scope. A generator's
   * body runs only when it is pulled, in the context of whoever pulls it, not where `invoke` made
   * it: without this, a host function called between two items was not cancelled with the stream.
   */
  enter<T>(call: MethodContext, pull: () => T): T;
  /**
   * False when `invoke` is no more than `target[method](...args, call)` (no call scope): a caller
   * on the same thread (the host's in-process fast path) may then call the target itself.
   */
  readonly scoped?: boolean;
  /** Runs the dispose hooks once (later calls wait for the same run); never throws. */
  dispose(): Promise<void>;
  /** Whether there is a dispose hook to run (onDispose or `[Symbol.asyncDispose]`). */
  readonly disposable?: boolean;
}

/** The factory record of an export, if it was made by definePlugin's factory form. */
export function readFactory(exported: unknown): PluginFactoryRecord | undefined {
  if ((typeof exported !== 'object' && typeof exported !== 'function') || exported === null) return undefined;
  const record = (exported as Record<symbol, unknown>)[PLUGIN_FACTORY] as PluginFactoryRecord | undefined;
  return typeof record?.create === 'function' ? record : undefined;
}

/**
 * Makes a plugin instance from a module's export: calls the factory with a context (factory
 * form), or takes the object as it is (object form). A factory that returns an incomplete
 * implementation, or throws, throws here: the load fails.
 */
export async function instantiatePlugin(
  exported: unknown,
  env: InstanceEnvironment,
): Promise<PluginInstance> {
  const factory = readFactory(exported);
  const hostSpec = readHostSpec(factory?.contract);
  // The call scope only where ctx.host has a function to call: on Node 20 an AsyncLocalStorage,
  // once run, turns on a promise hook for every promise of the whole process (measured: a bare
  // 256-item async generator went from ~0.17 to ~0.5 µs an item), so a plugin whose contract
  // declares no host function must not switch it on for its host.
  const scope = factory !== undefined && Object.keys(hostSpec).length > 0 ? env.scope : undefined;
  const hooks: Array<() => unknown> = [];
  let target = exported as Record<string, unknown>;
  if (factory !== undefined) {
    const ctx: PluginContext = Object.freeze<PluginContext>({
      host: hostProxy(hostSpec, env, scope) as PluginContext['host'],
      config: env.config,
      logger: env.logger,
      onDispose(fn: () => unknown) {
        if (typeof fn !== 'function') throw new TypeError('ctx.onDispose needs a function.');
        hooks.push(fn);
      },
    });
    target = (await factory.create(ctx)) as Record<string, unknown>;
    const result = checkConformance(factory.contract, target);
    if (!result.ok) {
      const list = result.problems.map((p) => `${p.member} (${p.actual})`).join('; ');
      throw new TypeError(
        `The factory of this "${factory.contract.name}" plugin returned an incomplete implementation: ${list}.`,
      );
    }
  }
  let disposing: Promise<void> | undefined;
  return {
    target,
    scoped: scope !== undefined,
    invoke(method, args, call) {
      const fn = target[method] as (...a: unknown[]) => unknown;
      // The in-process call path runs this on every call: no closure and no copy of the
      // arguments unless a scope needs one (a spread of the args costs as much as the call).
      if (scope === undefined) return callWith(fn, target, args, call);
      return scope.run(call, () => callWith(fn, target, args, call));
    },
    enter:
      scope === undefined
        ? <T>(_call: MethodContext, pull: () => T): T => pull()
        : <T>(call: MethodContext, pull: () => T): T => scope.run(call, pull),
    get disposable() {
      return hooks.length > 0 || typeof (target as Record<symbol, unknown>)[disposeSymbol] === 'function';
    },
    dispose() {
      disposing ??= runDisposeHooks(
        hooks,
        (target as Record<symbol, unknown>)[disposeSymbol] as (() => unknown) | undefined,
        target,
        env.logger,
      );
      return disposing;
    },
  };
}

/**
 * `ctx.host`: every declared host function, and, for a name the contract does not declare, a
 * function that still asks the host, which refuses it with a coded error (the host is the judge:
 * a plugin in another process may send any name at all).
 */
function hostProxy(
  spec: HostSpec,
  env: InstanceEnvironment,
  scope: CallScope | undefined,
): Readonly<Record<string, unknown>> {
  const cache = new Map<string, unknown>();
  const make = (name: string) => {
    const declared = spec[name]?.params.length;
    return (...args: unknown[]) => {
      const current = scope?.getStore();
      // The method's own LazyAbort when it is one: a host call then makes no AbortSignal.
      let signal: CancelSource | undefined = current instanceof LazyAbort ? current : current?.signal;
      const last = args[args.length - 1] as { signal?: unknown } | undefined;
      // An extra last argument `{ signal }` beyond the declared params cancels this call with it.
      if (args.length > (declared ?? 0) && isSignal(last?.signal)) {
        signal = last.signal;
        args = args.slice(0, -1);
      }
      return env.callHost(name, args, signal);
    };
  };
  return new Proxy(Object.freeze({}) as Record<string, unknown>, {
    get(_, key) {
      // Not thenable, not iterable: `await ctx.host` and inspection stay ordinary.
      if (typeof key !== 'string' || key === 'then' || key === 'toJSON') return undefined;
      if (!cache.has(key)) cache.set(key, make(key));
      return cache.get(key);
    },
    has: (_, key) => typeof key === 'string' && key in spec,
    ownKeys: () => Object.keys(spec),
    getOwnPropertyDescriptor: (_, key) =>
      typeof key === 'string' && key in spec
        ? { configurable: true, enumerable: true, value: cache.get(key) ?? make(key) }
        : undefined,
  });
}

function isSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

/** `fn.call(self, ...args, call)`, without an array for the usual arities. */
function callWith(
  fn: (...a: unknown[]) => unknown,
  self: unknown,
  args: readonly unknown[],
  call: MethodContext,
): unknown {
  switch (args.length) {
    case 0:
      return fn.call(self, call);
    case 1:
      return fn.call(self, args[0], call);
    case 2:
      return fn.call(self, args[0], args[1], call);
    case 3:
      return fn.call(self, args[0], args[1], args[2], call);
    default:
      return fn.apply(self, [...args, call]);
  }
}
