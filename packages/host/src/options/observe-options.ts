import { DEFAULT_UNRESPONSIVE_TIMEOUT_MS, type UnresponsiveReport } from '../core/liveness.js';
import { DEFAULT_PROFILE_DIR, DEFAULT_PROFILE_MS, type ProfileOnHang } from '../core/profile-on-hang.js';
import { isRecord, isTimeout, MAX_TIMEOUT_MS } from './check-values.js';
import { describeValue } from './option-error.js';

/** The load options of issue 16: watch mode, unresponsive detection, a profile of a hung plugin. */
export interface ObserveOptions {
  /**
   * Watch the plugin's package and swap in a fresh instance on each change, without dropping the
   * handle (isolated plugins only; docs/reliability.md, "Watch mode"). Default false.
   */
  readonly watch?: boolean;
  /**
   * Report the plugin as unresponsive once its event loop has not answered a liveness ping for
   * this many ms (default 3000); false: no liveness ping. Worker, process and command plugins.
   */
  readonly unresponsiveTimeout?: number | false;
  /** Called when the plugin becomes unresponsive, again with `profile` once profiled, and when it recovers. */
  readonly onUnresponsive?: (report: UnresponsiveReport) => void;
  /**
   * When the plugin is unresponsive: take a CPU profile of it (`durationMs`, default 1000), write
   * it as a .cpuprofile into `dir` (default: <tmpdir>/x-plugin-profiles), log its path, then end
   * the plugin (it restarts under the restart policy). Worker and process plugins. Default false.
   */
  readonly profileOnHang?: boolean | { readonly dir?: string; readonly durationMs?: number };
}

export interface ResolvedObserveOptions {
  readonly watch: boolean;
  readonly unresponsiveTimeout: number | false;
  readonly onUnresponsive: ((report: UnresponsiveReport) => void) | undefined;
  readonly profileOnHang: ProfileOnHang | undefined;
}

type Fail = (option: string, why: string, fix: string, value: unknown) => never;

export function resolveObserveOptions(o: Record<string, unknown>, fail: Fail): ResolvedObserveOptions {
  if (o.watch !== undefined && typeof o.watch !== 'boolean')
    fail(
      'watch',
      `must be true or false, not ${describeValue(o.watch)}`,
      'Pass watch: true, or leave it out.',
      o.watch,
    );
  const u = o.unresponsiveTimeout;
  if (u !== undefined && u !== false && !isTimeout(u)) {
    fail(
      'unresponsiveTimeout',
      `must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, or false, not ${describeValue(u)}`,
      `Pass a threshold such as ${DEFAULT_UNRESPONSIVE_TIMEOUT_MS}, false for no liveness ping, or leave it out.`,
      u,
    );
  }
  if (o.onUnresponsive !== undefined && typeof o.onUnresponsive !== 'function')
    fail(
      'onUnresponsive',
      `must be a function, not ${describeValue(o.onUnresponsive)}`,
      'Pass (report) => { ... }, or leave it out.',
      o.onUnresponsive,
    );
  const p = o.profileOnHang;
  let profileOnHang: ProfileOnHang | undefined;
  if (p === true) profileOnHang = { dir: DEFAULT_PROFILE_DIR, durationMs: DEFAULT_PROFILE_MS };
  else if (isRecord(p)) {
    const known = new Set(['dir', 'durationMs']);
    const extra = Object.keys(p).find((k) => !known.has(k));
    if (extra !== undefined)
      fail('profileOnHang', `has no field "${extra}"`, 'Pass { dir, durationMs }, true, or false.', p);
    if (p.dir !== undefined && (typeof p.dir !== 'string' || p.dir === ''))
      fail(
        'profileOnHang',
        `its dir must be a folder path, not ${describeValue(p.dir)}`,
        'Pass a folder path.',
        p,
      );
    if (p.durationMs !== undefined && !(isTimeout(p.durationMs) && p.durationMs <= 60_000))
      fail(
        'profileOnHang',
        `its durationMs must be a whole number of milliseconds from 1 to 60000, not ${describeValue(p.durationMs)}`,
        `Pass a sampling time such as ${DEFAULT_PROFILE_MS}.`,
        p,
      );
    profileOnHang = {
      dir: (p.dir as string | undefined) ?? DEFAULT_PROFILE_DIR,
      durationMs: (p.durationMs as number | undefined) ?? DEFAULT_PROFILE_MS,
    };
  } else if (p !== undefined && p !== false) {
    fail(
      'profileOnHang',
      `must be true, false or { dir, durationMs }, not ${describeValue(p)}`,
      'Pass profileOnHang: true.',
      p,
    );
  }
  if (profileOnHang !== undefined && u === false)
    fail(
      'profileOnHang',
      'it needs the liveness ping to find the hang, and unresponsiveTimeout is false',
      'Give unresponsiveTimeout a threshold (or leave it out), or remove profileOnHang.',
      p,
    );
  return {
    watch: o.watch === true,
    unresponsiveTimeout: u === false ? false : ((u as number | undefined) ?? DEFAULT_UNRESPONSIVE_TIMEOUT_MS),
    onUnresponsive: o.onUnresponsive as ResolvedObserveOptions['onUnresponsive'],
    profileOnHang,
  };
}
