#!/usr/bin/env node
// Fills the end-to-end tests' npm cache (.cache/e2e-npm) with every third-party package their
// `npm install`s need, so that the tests themselves run npm offline and touch no network but
// 127.0.0.1. This is an install step: it downloads, from the npm registry, once.
//
//   node scripts/warm-e2e-cache.mjs              fill (or top up) the cache; needs built packages
//   node scripts/warm-e2e-cache.mjs --if-stale   do nothing if the cache matches the inputs (tests' globalSetup)
//   node scripts/warm-e2e-cache.mjs --check      exit 1 with the fix if it does not (no network)
//
// How: the installs the tests run, run here once online into that cache. The same package.json
// the generator writes (its built bin, @x/* pointed at packed tarballs as the tests do), and a host
// app depending on @x/host, @x/sdk and @x/contract (what `npm install @x/host <plugin>` pulls in).
// npm resolves exactly what the tests will, so an offline test can only miss if an input changed,
// and those inputs are hashed into stamp.json: a changed range or template re-runs this.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import cacache from 'cacache';

const ROOT = join(import.meta.dirname, '..');
/** npm's cache folder (npm keeps its cacache in _cacache inside). Tests copy it, never write to it. */
const CACHE_DIR = join(ROOT, '.cache', 'e2e-npm');
/** The same packages as Verdaccio storage, for the registry e2e test's Verdaccio (which has no uplink). */
const SEED_DIR = join(ROOT, '.cache', 'e2e-registry');
const STAMP = join(ROOT, '.cache', 'e2e-stamp.json');
/** Held while warming: turbo runs both e2e packages' globalSetups at once, and only one may write. */
const LOCK = join(ROOT, '.cache', 'e2e-warm.lock');
// biome-ignore lint/suspicious/noUndeclaredEnvVars: turbo does not run this script; e2e tasks pass it through.
const REGISTRY = process.env.X_E2E_UPSTREAM_REGISTRY ?? 'https://registry.npmjs.org/';
/** The packages whose tarballs stand in for the registry's @x/* (their dependency ranges are inputs). */
const X_PACKAGES = {
  '@x/contract': 'packages/contract',
  '@x/sdk': 'packages/sdk',
  '@x/host': 'packages/host',
};
const GENERATOR = 'packages/create-plugin';
const TEMPLATE = join(GENERATOR, 'template', 'common', 'package.tmpl.json');

/** Everything that decides what the tests install: a change to any of it means re-warming. */
function inputsKey() {
  const hash = createHash('sha256');
  hash.update(`${REGISTRY}\n${process.platform}-${process.arch}\n`);
  hash.update(readFileSync(import.meta.filename));
  hash.update(readFileSync(join(ROOT, TEMPLATE)));
  for (const dir of Object.values(X_PACKAGES)) {
    const { dependencies, peerDependencies, optionalDependencies } = readJson(
      join(ROOT, dir, 'package.json'),
    );
    hash.update(JSON.stringify({ dependencies, peerDependencies, optionalDependencies }));
  }
  return hash.digest('hex');
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

function isFresh(key) {
  try {
    return readJson(STAMP).key === key;
  } catch {
    return false;
  }
}

/** npm, online, with this cache, none of the user's config, and the public (or given) registry. */
function npmEnv(home) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|VITEST|NODE_OPTIONS$)/i.test(k)) env[k] = v;
  return {
    ...env,
    HOME: home,
    npm_config_userconfig: join(home, '.npmrc'),
    npm_config_registry: REGISTRY,
    npm_config_cache: CACHE_DIR,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
  };
}

function sh(command, args, cwd, env) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    const out = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`;
    throw new Error(
      `\`${command} ${args.join(' ')}\` in ${cwd} failed (${result.status ?? result.signal}):\n${out}`,
    );
  }
  return result.stdout;
}

/** Packs @x/* (as the tests do: pnpm turns workspace:^ into real ranges) and returns name → file: spec. */
function packTarballs(dir, env) {
  mkdirSync(dir);
  for (const packageDir of Object.values(X_PACKAGES)) {
    sh('pnpm', ['pack', '--pack-destination', dir], join(ROOT, packageDir), env);
  }
  const specs = {};
  for (const file of readdirSync(dir)) specs[`@x/${file.split('-')[1]}`] = `file:${join(dir, file)}`;
  return specs;
}

/** Points a project's @x/* (and, through overrides, its dependencies' @x/*) at the tarballs. */
function useTarballs(project, field, specs) {
  const path = join(project, 'package.json');
  const pkg = readJson(path);
  pkg[field] = { ...pkg[field], ...specs };
  pkg.overrides = specs;
  writeFileSync(path, JSON.stringify(pkg, null, 2));
}

/** Integrity npm would check a version's tarball with (old packages only publish a sha1 shasum). */
function integrityOf(dist) {
  if (dist?.integrity) return dist.integrity;
  return dist?.shasum ? `sha1-${Buffer.from(dist.shasum, 'hex').toString('base64')}` : undefined;
}

/**
 * Writes Verdaccio storage (<name>/package.json and its .tgz files) from the npm cache: every
 * packument npm fetched from the registry while warming, whole (so a range resolves exactly as it
 * did for npm), and every tarball the cache holds. Verdaccio serves these as locally published
 * packages; versions whose tarball is not here were never resolved by the installs, so never asked for.
 * Read through cacache, npm's own cache library, rather than by its on-disk layout.
 */
async function writeRegistrySeed() {
  const cache = join(CACHE_DIR, '_cacache');
  const prefix = `make-fetch-happen:request-cache:${REGISTRY}`;
  rmSync(SEED_DIR, { recursive: true, force: true });
  let packages = 0;
  let tarballs = 0;
  for (const entry of Object.values(await cacache.ls(cache))) {
    if (!entry.key.startsWith(prefix) || entry.key.includes('/-/')) continue;
    const doc = JSON.parse((await cacache.get(cache, entry.key)).data.toString('utf8'));
    if (typeof doc.name !== 'string' || doc.versions === undefined) continue;
    const dir = join(SEED_DIR, doc.name);
    mkdirSync(dir, { recursive: true });
    for (const manifest of Object.values(doc.versions)) {
      const integrity = integrityOf(manifest.dist);
      if (integrity === undefined || !(await cacache.get.hasContent(cache, integrity))) continue;
      const file = basename(new URL(manifest.dist.tarball).pathname);
      await cacache.get.copy.byDigest(cache, integrity, join(dir, file));
      tarballs++;
    }
    // Verdaccio's own bookkeeping fields: no uplink knows this package, no attachment is pending.
    const stored = { ...doc, _uplinks: {}, _distfiles: {}, _attachments: {}, _rev: doc._rev ?? '1-0' };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(stored));
    packages++;
  }
  return { packages, tarballs };
}

async function warm(key) {
  const bin = join(ROOT, GENERATOR, 'index.js');
  if (!existsSync(join(ROOT, GENERATOR, 'dist', 'cli.js'))) {
    throw new Error('The packages are not built: run `pnpm e2e:warm` (it builds first), or `pnpm build`.');
  }
  const work = mkdtempSync(join(tmpdir(), 'x-e2e-warm-'));
  try {
    const home = join(work, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.npmrc'), '');
    const env = npmEnv(home);
    const specs = packTarballs(join(work, 'tarballs'), env);

    // A generated plugin, exactly as the generator writes it (greeter and transformer share package.json).
    sh(process.execPath, [bin, 'plugin', '--yes', '--no-install', '--no-git'], work, env);
    const plugin = join(work, 'plugin');
    useTarballs(plugin, 'devDependencies', specs);
    console.log(`warm-e2e-cache: npm install in a generated plugin (from ${REGISTRY}) ...`);
    sh('npm', ['install'], plugin, env);

    // A host app: @x/host and what plugins bring (@x/sdk, the @x/contract peer).
    const app = join(work, 'host-app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'warm-host-app', private: true }));
    useTarballs(app, 'dependencies', specs);
    console.log('warm-e2e-cache: npm install in a host app ...');
    sh('npm', ['install'], app, env);

    const seed = await writeRegistrySeed();
    const stamp = {
      key,
      registry: REGISTRY,
      npmCache: CACHE_DIR,
      registrySeed: SEED_DIR,
      warmedAt: new Date().toISOString(),
    };
    writeFileSync(STAMP, `${JSON.stringify(stamp, null, 2)}\n`);
    console.log(
      `warm-e2e-cache: ready: ${CACHE_DIR}, and ${SEED_DIR} (${seed.packages} packages, ${seed.tarballs} tarballs).`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Whether the process holding the lock is gone (it crashed or was killed): then the lock is stale. */
function lockIsStale() {
  try {
    process.kill(Number(readFileSync(join(LOCK, 'pid'), 'utf8')), 0);
    return false;
  } catch (error) {
    // ENOENT: the holder has made the folder but not written its pid yet, unless that was long ago.
    if (error.code === 'ENOENT')
      return Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 60_000;
    return error.code === 'ESRCH';
  }
}

/**
 * Runs `fn` holding a lock folder (mkdir is atomic), waiting for another warm-up to finish first.
 * Hand-written: a dozen lines, where a lock library would be one more dependency for one script.
 */
async function withLock(fn) {
  mkdirSync(dirname(LOCK), { recursive: true });
  for (let waited = false; ; ) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (lockIsStale()) {
        rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      if (!waited) console.log('warm-e2e-cache: another warm-up is running; waiting for it.');
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

const mode = process.argv[2];
const key = inputsKey();
if (mode === '--check') {
  if (!isFresh(key)) {
    console.error(
      `The e2e npm cache (${CACHE_DIR}) is missing or out of date.\nRun \`pnpm e2e:warm\` (it downloads the e2e tests' third-party packages once).`,
    );
    process.exit(1);
  }
} else {
  await withLock(async () => {
    // Checked under the lock: a warm-up that ran while this one waited leaves nothing to do.
    if (mode === '--if-stale' && isFresh(key)) return;
    console.log(
      `warm-e2e-cache: ${existsSync(STAMP) ? 'inputs changed' : 'no cache yet'}; downloading the e2e tests' third-party packages into ${CACHE_DIR}`,
    );
    mkdirSync(CACHE_DIR, { recursive: true });
    try {
      await warm(key);
    } catch (error) {
      console.error(`warm-e2e-cache: ${error.message}`);
      process.exitCode = 1;
    }
  });
}
