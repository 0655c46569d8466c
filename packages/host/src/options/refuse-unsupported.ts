import { PluginError } from '@x/contract';
import type { Isolation, PluginPackage } from '../manifest.js';
import type { ResolvedLoadOptions } from './resolve-load-options.js';

/** What runs the plugin: one of the five runtimes (src/runtimes/). */
export type RuntimeKind = 'in-process' | 'worker' | 'process' | 'command' | 'go-plugin';

export function runtimeOf(pkg: PluginPackage, isolation: Isolation): RuntimeKind {
  if (pkg.manifest.protocol === 'go-plugin') return 'go-plugin';
  if (pkg.manifest.command !== undefined) return 'command';
  return isolation;
}

interface Refusal {
  readonly why: string;
  readonly fix: string;
}

const NODE_ONLY: Readonly<Record<string, Refusal>> = {
  execArgv: {
    why: 'those are flags of node',
    fix: "Remove the option; put the program's own flags in xPlugin.command.",
  },
  maxHeapMb: {
    why: "it sets Node's heap limit",
    fix: 'Remove the option; limit memory with the OS (ulimit, cgroups).',
  },
  server: { why: 'it names a Node script to run instead of the plugin', fix: 'Remove the option.' },
  permissions: {
    why: "Node's permission model confines Node processes only",
    fix: 'Remove the option and confine the program by other means (a container, a user of its own), or load a Node plugin.',
  },
};

const GROUP_OWN: Refusal = {
  why: "a group shares one isolate served by the host's bootstrap, and this plugin is served by its own program",
  fix: 'Remove the "group" option: the plugin runs in a process of its own.',
};

const GO_TALKBACK = 'Remove the option, or port the plugin to Node (worker or process isolation).';

/** go-plugin's own options (versions, reattach): refused for every other runtime. */
const GO_ONLY: Readonly<Record<string, Refusal>> = {
  versions: {
    why: "app protocol versions are go-plugin's (PLUGIN_PROTOCOL_VERSIONS)",
    fix: 'Remove the option; a Node plugin negotiates its protocol version itself.',
  },
  reattach: {
    why: "reattaching to a running server is go-plugin's (ReattachConfig)",
    fix: 'Remove the option.',
  },
  autoMTLS: {
    why: "it is go-plugin's mutual TLS (AutoMTLS)",
    fix: 'Remove the option (it applies to plugins whose manifest says "protocol": "go-plugin").',
  },
};

const IN_PROCESS = 'Load it with isolation "worker" or "process" to have it, or remove the option.';

// Only Node code can be profiled: a worker through the host's inspector, a process through the
// profile agent its bootstrap starts (runtimes/process/profile-agent.ts).
const PROFILE_NODE_ONLY: Refusal = {
  why: 'the host profiles a hang through the V8 inspector, which only Node plugins have',
  fix: 'Remove the option (unresponsiveTimeout still reports hangs), or load a Node plugin.',
};

// Go has no single event loop to block: a goroutine stuck in a loop does not stop the health service.
const GO_LIVENESS: Refusal = {
  why: 'a Go binary answers its health service from a goroutine of its own, so a stuck call does not make it unresponsive',
  fix: 'Remove the option; give calls a timeout (callTimeout) to catch a stuck call.',
};

/**
 * What each runtime cannot honour (packages/host/README.md has the table). An option asked of a
 * runtime that cannot honour it is refused, naming it, never ignored: a plugin must not run with
 * less confinement, or fewer limits, than the host asked for.
 */
const UNSUPPORTED: Readonly<Record<RuntimeKind, Readonly<Record<string, Refusal>>>> = {
  'in-process': {
    ...GO_ONLY,
    env: {
      why: "an in-process plugin shares the host's process.env, so it cannot be given an environment of its own",
      fix: IN_PROCESS,
    },
    execArgv: { why: "it runs in the host's own Node, whose flags are already set", fix: IN_PROCESS },
    maxHeapMb: { why: "it shares the host's heap, which cannot be limited for one plugin", fix: IN_PROCESS },
    server: { why: 'it is imported, so there is no server script to run', fix: IN_PROCESS },
    restart: { why: 'it cannot crash apart from the host, so there is nothing to restart', fix: IN_PROCESS },
    onCrash: { why: 'it cannot crash apart from the host', fix: IN_PROCESS },
    healthTimeout: { why: "it shares the host's event loop, so there is no health check", fix: IN_PROCESS },
    maxQueuedBytes: { why: 'nothing is written to it through a pipe', fix: IN_PROCESS },
    // Refused rather than ignored: every in-process plugin already shares the host's isolate, and
    // a caller who asked for a group expects the worker or process the group would give.
    group: {
      why: "every in-process plugin already shares the host's thread; a group is a worker or process shared by isolated plugins",
      fix: IN_PROCESS,
    },
    lazy: {
      why: 'it is imported by load(), and an import cannot be undone or deferred behind a typed handle',
      fix: IN_PROCESS,
    },
    idleTimeout: {
      why: 'an imported module cannot be unloaded, so there is nothing to stop when idle',
      fix: IN_PROCESS,
    },
    watch: {
      why: 'Node cannot import changed code again into a running isolate (an ES module is cached for the life of the process), so a reload would hand back the old code',
      fix: 'Load it with isolation "worker" to watch it (x-plugin dev does), or remove the option.',
    },
    unresponsiveTimeout: {
      why: "it shares the host's event loop: if it blocks, the host itself is blocked and cannot report it",
      fix: IN_PROCESS,
    },
    onUnresponsive: {
      why: "it shares the host's event loop, so it cannot be unresponsive apart",
      fix: IN_PROCESS,
    },
    profileOnHang: {
      why: "it shares the host's thread, which cannot profile itself while it hangs",
      fix: IN_PROCESS,
    },
  },
  worker: {
    ...GO_ONLY,
    maxQueuedBytes: {
      why: "a worker's message port cannot tell how much it has not read yet (maxPendingCalls bounds a worker)",
      fix: 'Remove the option (use maxPendingCalls), or load it with isolation "process".',
    },
  },
  process: GO_ONLY,
  command: { ...NODE_ONLY, ...GO_ONLY, group: GROUP_OWN, profileOnHang: PROFILE_NODE_ONLY },
  'go-plugin': {
    ...NODE_ONLY,
    group: GROUP_OWN,
    // Host functions go through go-plugin's GRPCBroker (xPlugin.broker); a config has no channel.
    config: { why: 'go-plugin has no way to hand a plugin a config', fix: GO_TALKBACK },
    disposeTimeout: { why: 'it has no dispose hooks to wait for', fix: 'Remove the option.' },
    maxQueuedBytes: {
      why: 'gRPC does not tell how much the plugin has not read yet (maxPendingCalls bounds it)',
      fix: 'Remove the option (use maxPendingCalls).',
    },
    unresponsiveTimeout: GO_LIVENESS,
    onUnresponsive: GO_LIVENESS,
    profileOnHang: PROFILE_NODE_ONLY,
  },
};

/** Refuses, with ERR_PLUGIN_LOAD naming the option, what the plugin's runtime cannot honour. */
export function refuseUnsupported(
  pkg: PluginPackage,
  runtime: RuntimeKind,
  isolation: Isolation,
  options: ResolvedLoadOptions,
): void {
  if ((runtime === 'command' || runtime === 'go-plugin') && isolation !== 'process') {
    throw unsupported(
      pkg,
      runtime,
      'isolation',
      runtime === 'go-plugin'
        ? 'a hashicorp/go-plugin binary can only run in its own process'
        : `only Node code can run ${isolation === 'worker' ? 'in a worker thread' : 'in-process'}`,
      'Load it with { isolation: "process" }, or without an isolation option.',
    );
  }
  // The profile agent is a worker that uses the inspector: Node's permission model allows neither.
  if (
    runtime === 'process' &&
    options.profileOnHang !== undefined &&
    options.permissions !== undefined &&
    options.permissions !== false
  ) {
    throw unsupported(
      pkg,
      runtime,
      'profileOnHang',
      "under Node's permission model it may start no worker and open no inspector, which profiling it needs",
      'Remove profileOnHang (unresponsiveTimeout still reports hangs), or the permissions option.',
    );
  }
  for (const [option, refusal] of Object.entries(UNSUPPORTED[runtime])) {
    if (!options.given.has(option)) continue;
    // Asking for nothing is not asking for something the runtime lacks.
    if (option === 'execArgv' && options.execArgv.length === 0) continue;
    if (option === 'permissions' && options.permissions === false) continue;
    // restart: false asks for no restarts, which a plugin that cannot crash apart already has.
    if (option === 'restart' && options.restart === false) continue;
    if (option === 'lazy' && !options.lazy) continue;
    if (option === 'unresponsiveTimeout' && options.unresponsiveTimeout === false) continue;
    if (option === 'watch' && !options.watch) continue;
    if (option === 'profileOnHang' && options.profileOnHang === undefined) continue;
    throw unsupported(pkg, runtime, option, refusal.why, refusal.fix);
  }
}

function unsupported(
  pkg: PluginPackage,
  runtime: RuntimeKind,
  option: string,
  why: string,
  fix: string,
): PluginError {
  const command = pkg.manifest.command;
  const how =
    command !== undefined
      ? `It is started by its own command (${command.join(' ')}), not by Node, and ${why}.`
      : `It runs ${runtime === 'in-process' ? 'in-process' : `in a ${runtime === 'worker' ? 'worker thread' : 'process'}`}, and ${why}.`;
  return new PluginError({
    code: 'ERR_PLUGIN_LOAD',
    plugin: pkg.name,
    what: `Plugin "${pkg.name}" was loaded with the "${option}" option, which it cannot honour.`,
    why: how,
    fix,
    details: { option, runtime },
  });
}
