import { PluginError } from '@x/contract';

/** Why a plugin is incompatible, one kind per rule of docs/compatibility.md. */
export type IncompatibleReason =
  | 'contract-name'
  | 'contract-version'
  | 'contract-package'
  | 'contract-structure'
  | 'node-version'
  | 'stamp';

/** One broken rule, as an ERR_PLUGIN_INCOMPATIBLE error of its own (details: reason, required, actual). */
export function incompatible(
  plugin: string,
  reason: IncompatibleReason,
  parts: { what: string; why: string; fix: string; required?: string; actual?: string },
  extra: Readonly<Record<string, unknown>> = {},
): PluginError {
  const { what, why, fix, required, actual } = parts;
  return new PluginError({
    code: 'ERR_PLUGIN_INCOMPATIBLE',
    plugin,
    what,
    why,
    fix,
    details: { reason, required, actual, ...extra },
  });
}

/** An xPlugin field this release does not know: reported, never fatal, since later releases add fields. */
export function manifestWarning(plugin: string, field: string, known: readonly string[]): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_MANIFEST',
    plugin,
    what: `Plugin "${plugin}" has an unknown manifest field "${field}".`,
    why: `This host reads only ${known.map((k) => `xPlugin.${k}`).join(', ')}, and ignores it.`,
    fix: 'Check its spelling, or remove it; if a newer @x/host reads it, upgrade the host.',
    details: { field },
  });
}

/** A problem as --json and `details.reasons` give it: stable, plain data. */
export interface ProblemJson {
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export function problemJson(error: PluginError): ProblemJson {
  return { code: error.code, message: error.message, details: error.details };
}

/**
 * The error load throws for a plugin that breaks one or more compatibility rules: one rule's own
 * error, or, for several, one that lists them all so that the user fixes everything in one go.
 * Either way `details` holds the structured verdict: required, actual and reasons[].
 */
export function incompatibleError(
  plugin: string,
  problems: readonly PluginError[],
  verdict: { required: Readonly<Record<string, unknown>>; actual: Readonly<Record<string, unknown>> },
): PluginError {
  const reasons = problems.map(problemJson);
  const details = { ...verdict, reasons };
  if (problems.length === 1) {
    const only = problems[0]!;
    const { code, what, why, fix } = only;
    return new PluginError({ code, plugin, what, why, fix, details: { ...only.details, ...details } });
  }
  return new PluginError({
    code: 'ERR_PLUGIN_INCOMPATIBLE',
    plugin,
    what: `Plugin "${plugin}" is not compatible with this host, for ${problems.length} reasons.`,
    why: problems.map((p, i) => `(${i + 1}) ${p.what} ${p.why}`).join(' '),
    fix: problems.map((p, i) => `(${i + 1}) ${p.fix}`).join(' '),
    details,
  });
}
