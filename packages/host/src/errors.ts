import { type ConformanceProblem, PluginError } from '@x/contract';

// One constructor per failure the load path can hit, so every message keeps the same
// three parts (what happened, why, how to fix it) and the same wording everywhere.

export function notFound(plugin: string, why: string, fix?: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_NOT_FOUND',
    plugin,
    what: `Plugin not found: ${plugin}.`,
    why,
    fix: fix ?? `Install it (npm install ${plugin}), or pass the path to its folder.`,
  });
}

export function badManifest(plugin: string, field: string, why: string, fix: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_MANIFEST',
    plugin,
    what: `Plugin "${plugin}" has an invalid manifest: field "${field}" ${why}.`,
    why: 'The host reads the manifest in package.json before running any plugin code, and cannot go on without it.',
    fix,
    details: { field },
  });
}

export function loadFailed(plugin: string, entry: string, cause: unknown, fix: string): PluginError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new PluginError({
    code: 'ERR_PLUGIN_LOAD',
    plugin,
    what: `Plugin "${plugin}" failed to load from ${entry}.`,
    why: `Importing it threw: ${reason}`,
    fix,
    cause,
    details: { entry },
  });
}

export function contractMismatch(
  plugin: string,
  contract: string,
  problems: readonly ConformanceProblem[],
  fix: string,
): PluginError {
  const list = problems.map((p) => `${p.member} should be ${p.expected} but is ${p.actual}`).join('; ');
  return new PluginError({
    code: 'ERR_PLUGIN_CONTRACT',
    plugin,
    what: `Plugin "${plugin}" does not implement the "${contract}" contract.`,
    why: `${list}.`,
    fix,
    details: { contract, problems },
  });
}

export function closed(plugin: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CLOSED',
    plugin,
    what: `Plugin "${plugin}" is closed.`,
    why: 'close() was called on its handle, so it no longer answers calls.',
    fix: 'Load it again with host.load() to call it.',
  });
}

export function goPluginInProcess(plugin: string, isolation: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_LOAD',
    plugin,
    what: `Plugin "${plugin}" was asked to run with "${isolation}" isolation.`,
    why: 'It is a hashicorp/go-plugin binary (xPlugin.protocol "go-plugin"), which can only run in its own process.',
    fix: 'Load it with { isolation: "process" }, or without an isolation option.',
  });
}
