import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServer } from 'verdaccio';
import { REPO_ROOT } from './workspace.ts';

/**
 * Test registry: Verdaccio with no uplink at all, so nothing it serves can come from the network.
 * Third-party packages (tsup, vitest, semver, resolve.exports...) are copied into its storage from
 * the e2e seed that `pnpm e2e:warm` (scripts/warm-e2e-cache.mjs) makes at install time, from the
 * very packuments and tarballs npm resolved for the same installs. Everything else (@x/*,
 * create-greeter-plugin, x-e2e-*) exists only once a test publishes it.
 * Why not route only @x/* here and run npm --prefer-offline for the rest: npm would then also reuse
 * its cached @x/contract packument after the test publishes 2.0.0, and `npm create --registry` hands
 * that registry to the generator's own install anyway (see generator.ts).
 */
export const WARM_COMMAND = 'pnpm e2e:warm';

/** What scripts/warm-e2e-cache.mjs wrote: where the seed is. */
interface WarmStamp {
  readonly registrySeed: string;
}

/**
 * The registry seed, read from the stamp the warm-up script writes last. The tests' globalSetup
 * (../../scripts/e2e-global-setup.mjs) warms first if needed, so a miss here means it was skipped.
 */
export function registrySeed(): string {
  const stamp = join(REPO_ROOT, '.cache', 'e2e-stamp.json');
  if (!existsSync(stamp)) {
    throw new Error(`No e2e registry seed (${stamp} is missing): run \`${WARM_COMMAND}\` first.`);
  }
  return (JSON.parse(readFileSync(stamp, 'utf8')) as WarmStamp).registrySeed;
}

/**
 * A proxy nothing listens on, for every non-loopback request: a regression that makes npm, pnpm
 * or Verdaccio reach past 127.0.0.1 fails at once with ECONNREFUSED instead of downloading.
 */
export const DEAD_PROXY = 'http://127.0.0.1:9';
const LOOPBACK = '127.0.0.1,localhost,::1';

export interface Registry {
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  /** A temp dir holding storage, config, htpasswd, the npmrc, the npm cache and a fake HOME. */
  readonly dir: string;
  /** Environment for npm/pnpm children: this registry only, with a token, and none of the user's config. */
  readonly env: NodeJS.ProcessEnv;
  /** Makes a fresh temp dir under this registry's dir (removed with it). */
  tempDir(prefix: string): string;
  close(): Promise<void>;
}

/** No `uplinks` and no `proxy`: Verdaccio serves its storage and answers 404 for anything else. */
function configYaml(dir: string): string {
  return `storage: ${join(dir, 'storage')}
auth:
  htpasswd:
    file: ${join(dir, 'htpasswd')}
    max_users: 100
packages:
  '**':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
web:
  enable: false
log: { type: stdout, format: pretty, level: error }
`;
}

/** Environment for package-manager children, cut off from the user's config and credentials. */
function childEnv(dir: string, url: string, userconfig: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // pnpm passes its own npm_config_* down to scripts (registry, user agent...): none may leak in.
    if (!/^npm_(config|package|lifecycle)_/i.test(key)) env[key] = value;
  }
  return {
    ...env,
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'home', '.config'),
    npm_config_userconfig: userconfig,
    npm_config_registry: url,
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_loglevel: 'warn',
    // The network guard: only 127.0.0.1 is reachable without the dead proxy. Short retry waits so
    // a refused request fails in seconds, while a reset local socket is still retried.
    ...Object.fromEntries(
      [
        'HTTP_PROXY',
        'HTTPS_PROXY',
        'http_proxy',
        'https_proxy',
        'npm_config_proxy',
        'npm_config_https_proxy',
      ].map((key) => [key, DEAD_PROXY]),
    ),
    NO_PROXY: LOOPBACK,
    no_proxy: LOOPBACK,
    npm_config_noproxy: LOOPBACK,
    npm_config_fetch_retry_mintimeout: '1000',
    npm_config_fetch_retry_maxtimeout: '2000',
    // The test asserts npm's peer-dependency warnings itself; colours would only get in the way.
    npm_config_color: 'false',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  };
}

/** Registers a user and returns its token, as `npm adduser` does (PUT /-/user/org.couchdb.user:<name>). */
async function addUser(url: string): Promise<string> {
  const name = 'e2e';
  const response = await fetch(new URL(`-/user/org.couchdb.user:${name}`, url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'e2e-password', email: 'e2e@example.invalid', type: 'user' }),
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || body.token === undefined) {
    throw new Error(`Verdaccio refused to add a user: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}

/**
 * Starts Verdaccio in this process on 127.0.0.1 and a free port, with all its state in a temp dir.
 * Always pair with `close()` (in afterAll or finally): it stops the server and removes the dir.
 */
export async function startRegistry(): Promise<Registry> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'x-e2e-registry-')));
  let server: Server | undefined;
  const close = async () => {
    if (server !== undefined) {
      const s = server;
      server = undefined;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    mkdirSync(join(dir, 'home', '.config'), { recursive: true });
    cpSync(registrySeed(), join(dir, 'storage'), { recursive: true });
    const configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, configYaml(dir));
    server = (await runServer(configPath)) as Server;
    const s = server;
    // Port 0: the kernel picks a free port, so parallel runs never collide.
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = s.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/`;
    const token = await addUser(url);
    const userconfig = join(dir, 'npmrc');
    writeFileSync(userconfig, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    const env = childEnv(dir, url, userconfig);
    return {
      url,
      dir,
      env,
      tempDir: (prefix) => realpathSync(mkdtempSync(join(dir, prefix))),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The package names published to this registry (Verdaccio's own list; the seed is not in it), sorted. */
export function publishedPackages(registry: Registry): string[] {
  const db = join(registry.dir, 'storage', '.verdaccio-db.json');
  if (!existsSync(db)) return [];
  return [...(JSON.parse(readFileSync(db, 'utf8')) as { list: string[] }).list].sort();
}
