import { CONTRACT_VERSION } from '@x/contract';

/** What the running host offers a plugin: the versions its compatibility checks compare against. */
export interface HostVersions {
  /** The version of the host's own copy of `@x/contract`. */
  readonly contract: string;
  /** The running Node.js version, as `process.version` gives it (`v20.20.0`). */
  readonly node: string;
}

/** The host as it runs: its own `@x/contract`, whichever copy a plugin may resolve, and this Node. */
export function currentHostVersions(): HostVersions {
  return { contract: CONTRACT_VERSION, node: process.version };
}
