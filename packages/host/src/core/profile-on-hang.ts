import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import type { CpuProfile } from '../runtimes/worker/profile-worker.js';
import type { Connection } from './connection.js';
import { UNRESPONSIVE_CODE } from './liveness.js';

/** The resolved profileOnHang option: where profiles go, and how long each one samples. */
export interface ProfileOnHang {
  readonly dir: string;
  readonly durationMs: number;
}

export const DEFAULT_PROFILE_DIR = join(tmpdir(), 'x-plugin-profiles');
export const DEFAULT_PROFILE_MS = 1_000;

/** How a runtime profiles one of its plugins while it hangs (worker and process runtimes). */
export type Profiler = (c: Connection, durationMs: number) => Promise<CpuProfile>;

/**
 * Profiles a hung plugin and writes `<dir>/<plugin>-<time>.cpuprofile` (open it in Chrome DevTools'
 * Performance panel or VS Code), logging its path with ERR_PLUGIN_UNRESPONSIVE. Resolves with
 * the path, or undefined when profiling failed (logged: the plugin is ended all the same).
 */
export async function writeHangProfile(
  plugin: string,
  c: Connection,
  profiler: Profiler,
  options: ProfileOnHang,
  logger: Logger,
): Promise<string | undefined> {
  try {
    const profile = await profiler(c, options.durationMs);
    mkdirSync(options.dir, { recursive: true });
    const safe = plugin.replace(/[^a-zA-Z0-9._-]+/g, '_');
    const path = join(options.dir, `${safe}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
    writeFileSync(path, JSON.stringify(profile));
    logger.log(
      'warn',
      `Plugin "${plugin}" hung: a CPU profile of ${options.durationMs} ms of it is in ${path}. ` +
        'The host ends the hung plugin now (it restarts under the restart policy). ' +
        'Open the profile in Chrome DevTools (Performance) or VS Code to see where it loops.',
      { plugin, code: UNRESPONSIVE_CODE, profile: path },
    );
    return path;
  } catch (error) {
    logger.log(
      'error',
      `Plugin "${plugin}" hung, and its CPU profile could not be taken: ${error instanceof Error ? error.message : String(error)}. ` +
        'The host ends the hung plugin all the same.',
      { plugin, code: UNRESPONSIVE_CODE },
    );
    return undefined;
  }
}
