import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServer } from 'verdaccio';

/**
 * Package names that must only ever come from this registry: never proxied, so a test can't
 * pass by installing a same-named package from the public registry.
 */
export const LOCAL_PACKAGES = ['@x/*', 'create-greeter-plugin', 'x-e2e-*'] as const;

/** Where Verdaccio fetches everything else (tsup, semver, resolve.exports...): the public registry. */
export const UPSTREAM = process.env.X_E2E_UPSTREAM_REGISTRY ?? 'https://registry.npmjs.org/';

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

function configYaml(dir: string): string {
  const local = LOCAL_PACKAGES.map(
    (pattern) =>
      `  '${pattern}':\n    access: $all\n    publish: $authenticated\n    unpublish: $authenticated\n`,
  ).join('');
  return `storage: ${join(dir, 'storage')}
auth:
  htpasswd:
    file: ${join(dir, 'htpasswd')}
    max_users: 100
uplinks:
  npmjs:
    url: ${UPSTREAM}
    timeout: 60s
    max_fails: 5
packages:
${local}  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
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

/** The package names in the registry's storage (published here, or cached from the upstream), sorted. */
export function storedPackages(registry: Registry): string[] {
  const storage = join(registry.dir, 'storage');
  if (!existsSync(storage)) return [];
  const names: string[] = [];
  for (const entry of readdirSync(storage)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) names.push(...readdirSync(join(storage, entry)).map((n) => `${entry}/${n}`));
    else names.push(entry);
  }
  return names.sort();
}
