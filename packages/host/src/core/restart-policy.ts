/** When a crashed plugin is restarted (VS Code's rule for its extension host). */
export interface RestartPolicy {
  /** The crash that makes this many within `windowMs` stops the plugin for good (default 3). */
  readonly maxCrashes: number;
  /** The sliding window crashes are counted in (default 5 minutes). */
  readonly windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = Object.freeze({ maxCrashes: 3, windowMs: 5 * 60_000 });

/** Counts crashes in a sliding window and says whether to restart after the latest. */
export class CrashWindow {
  private readonly times: number[] = [];

  constructor(
    private readonly policy: RestartPolicy | false,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash; `restart` is false once the policy is exhausted (or restarts are off). */
  record(): { restart: boolean; crashes: number } {
    const now = this.now();
    this.times.push(now);
    if (this.policy === false) return { restart: false, crashes: this.times.length };
    const since = now - this.policy.windowMs;
    while (this.times.length > 0 && this.times[0]! <= since) this.times.shift();
    return { restart: this.times.length < this.policy.maxCrashes, crashes: this.times.length };
  }
}
