import { PluginError } from '@x/contract';

/**
 * A load or call option the host cannot use as given: the caller's own mistake (a negative
 * timeout, a signal that is not an AbortSignal), refused before anything starts.
 */
export function badOption(
  plugin: string,
  option: string,
  why: string,
  fix: string,
  value?: unknown,
): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_OPTIONS',
    plugin,
    what: `The "${option}" option of ${plugin === '' ? 'a plugin load' : `plugin "${plugin}"`} is invalid: ${why}.`,
    why: 'The host checks every option before it starts anything, so that a typo is never silently ignored.',
    fix,
    details: { option, value: describeValue(value) },
  });
}

/** A short, printable description of what was passed, for messages and details. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (value === undefined) return 'undefined';
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  return tag === 'Object' ? 'an object' : `a ${tag}`;
}
