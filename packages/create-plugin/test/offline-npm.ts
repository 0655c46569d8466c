import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const STAMP = join(REPO_ROOT, '.cache', 'e2e-stamp.json');

/**
 * A proxy nothing listens on, for every non-loopback request: npm runs --offline anyway, so this
 * only matters if a regression makes something reach past 127.0.0.1; it then fails at once.
 */
const DEAD_PROXY = 'http://127.0.0.1:9';
const LOOPBACK = '127.0.0.1,localhost,::1';

/** What scripts/warm-e2e-cache.mjs wrote last: the npm cache it filled, from which registry. */
interface WarmStamp {
  readonly registry: string;
  readonly npmCache: string;
}

/**
 * Environment for the e2e test's npm children: --offline, from a private copy of the npm cache that
 * `pnpm e2e:warm` filled at install time (vitest's globalSetup warms it first if it is cold), and
 * none of the user's npm config. A package missing from the cache fails with ENOTCACHED.
 * The registry is the one the cache was filled from: npm keys cached packuments by their URL.
 */
export function offlineNpmEnv(dir: string): Record<string, string> {
  if (!existsSync(STAMP)) throw new Error(`No e2e npm cache (${STAMP} is missing): run \`pnpm e2e:warm\`.`);
  const stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as WarmStamp;
  // A copy: npm writes to its cache even offline, and the warm cache stays as the warm-up left it.
  const cache = join(dir, 'npm-cache');
  cpSync(join(stamp.npmCache, '_cacache'), join(cache, '_cacache'), { recursive: true });
  const userconfig = join(dir, 'npmrc');
  writeFileSync(userconfig, '');
  return {
    npm_config_offline: 'true',
    npm_config_cache: cache,
    npm_config_registry: stamp.registry,
    npm_config_userconfig: userconfig,
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    HTTP_PROXY: DEAD_PROXY,
    HTTPS_PROXY: DEAD_PROXY,
    http_proxy: DEAD_PROXY,
    https_proxy: DEAD_PROXY,
    npm_config_proxy: DEAD_PROXY,
    npm_config_https_proxy: DEAD_PROXY,
    NO_PROXY: LOOPBACK,
    no_proxy: LOOPBACK,
    npm_config_noproxy: LOOPBACK,
    // So that a refused request fails in seconds rather than after npm's minute of retries.
    npm_config_fetch_retry_mintimeout: '1000',
    npm_config_fetch_retry_maxtimeout: '2000',
  };
}
