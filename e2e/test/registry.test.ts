import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishContractPackage } from '../src/contract-package.ts';
import { createPluginWithGenerator } from '../src/generator.ts';
import { callPlugin, createHostApp, npmInstall } from '../src/host-app.ts';
import { publishPackage, writePluginPackage } from '../src/plugin-package.ts';
import {
  DEAD_PROXY,
  publishedPackages,
  type Registry,
  startRegistry,
  WARM_COMMAND,
} from '../src/registry.ts';
import { run } from '../src/run.ts';
import {
  PUBLISHED,
  PUBLISHED_DIRS,
  publishContractMajor,
  publishWorkspace,
  REPO_ROOT,
  readVersion,
} from '../src/workspace.ts';

// The installed experience, against a real npm registry (Verdaccio on 127.0.0.1): the workspace is
// published as a release publishes it, then a fresh host app installs @x/host and a plugin with npm.
// Verdaccio has no uplink: third-party packages are served from a seed made at install time
// (`pnpm e2e:warm`), and every npm/pnpm child runs behind a dead proxy for anything but 127.0.0.1,
// so this file touches no network but loopback, and a regression that tries fails at once.

const PLUGIN = 'x-e2e-greeter';
const NEXT_MAJOR_PLUGIN = 'x-e2e-greeter-next';
const GENERATED = 'x-e2e-generated';
const CONTRACT_PACKAGE = 'x-e2e-shapes-contract';
const CONTRACT_PLUGIN = 'x-e2e-shapes';

let registry: Registry;
let app: string;

beforeAll(async () => {
  registry = await startRegistry();
  // Made up front, so that every npm command below runs in a temp dir even when tests are filtered.
  app = createHostApp(registry);
}, 60_000);

afterAll(async () => {
  await registry?.close();
});

describe('the network guard', () => {
  // Permanent checks that the setup holds, so a regression that lets a test download is caught.
  it('Verdaccio has no uplink: a package that is neither seeded nor published is a 404', async () => {
    const view = await run('npm', ['view', 'left-pad', 'version'], {
      cwd: registry.dir,
      env: registry.env,
      allowFailure: true,
    });
    expect(view.code).not.toBe(0);
    expect(view.stderr).toContain('E404');
  });

  it('npm cannot reach any other registry: the request dies at the dead proxy', async () => {
    const view = await run(
      'npm',
      ['view', 'semver', 'version', '--registry', 'https://registry.npmjs.org/'],
      {
        cwd: registry.dir,
        env: registry.env,
        allowFailure: true,
      },
    );
    expect(view.code).not.toBe(0);
    expect(view.stderr).toContain(`ECONNREFUSED ${new URL(DEAD_PROXY).host}`);
  });
});

describe('publish', () => {
  it('publishes every public workspace package, and nothing private', async () => {
    const output = await publishWorkspace(registry);
    for (const name of PUBLISHED) {
      const version = readVersion(REPO_ROOT, PUBLISHED_DIRS[name]);
      expect(output).toContain(`${name}@${version}`);
      const { stdout } = await run('npm', ['view', name, 'version', '--registry', registry.url], {
        cwd: registry.dir,
        env: registry.env,
      });
      expect(stdout.trim()).toBe(version);
    }
    // What was published is exactly the public packages.
    expect(publishedPackages(registry)).toEqual([...PUBLISHED].sort());
  });

  it('publishes internal dependencies as semver ranges, never workspace: protocols', async () => {
    const { stdout } = await run(
      'npm',
      ['view', '@x/host', 'dependencies', '--json', '--registry', registry.url],
      {
        cwd: registry.dir,
        env: registry.env,
      },
    );
    const dependencies = JSON.parse(stdout) as Record<string, string>;
    expect(dependencies['@x/contract']).toBe(`^${readVersion(REPO_ROOT, PUBLISHED_DIRS['@x/contract'])}`);
  });

  it('publishes a plugin written against @x/sdk, as its author would', async () => {
    const dir = writePluginPackage(registry.tempDir('plugin-'), {
      name: PLUGIN,
      version: '1.0.0',
      contractRange: '^1.0.0',
      greeting: 'Howdy',
    });
    await publishPackage(dir, registry);
  });

  it('npm create greeter-plugin scaffolds a plugin that builds, tests (every isolation) and publishes', async () => {
    await createPluginWithGenerator(registry, GENERATED);
    const { stdout } = await run(
      'npm',
      ['view', GENERATED, 'xPlugin', '--json', '--registry', registry.url],
      {
        cwd: registry.dir,
        env: registry.env,
      },
    );
    expect(JSON.parse(stdout)).toEqual({ contract: 'greeter', export: 'plugin', isolation: 'in-process' });
  }, 600_000);

  it('npm create greeter-plugin --contract scaffolds a plugin for a published contract package, which builds, tests (every isolation) and publishes', async () => {
    await publishContractPackage(registry, CONTRACT_PACKAGE);
    await createPluginWithGenerator(registry, CONTRACT_PLUGIN, ['--contract', CONTRACT_PACKAGE], (dir) => {
      // What the author does next: replace a stub's sample answer with the real thing.
      const file = join(dir, 'src', 'index.ts');
      const source = readFileSync(file, 'utf8');
      const stub = /area\(_dims\) \{[^}]*\}/;
      expect(source).toMatch(stub);
      writeFileSync(file, source.replace(stub, 'area(dims) {\n    return dims.w * dims.h;\n  }'));
    });
    const { stdout } = await run('npm', ['view', CONTRACT_PLUGIN, '--json', '--registry', registry.url], {
      cwd: registry.dir,
      env: registry.env,
    });
    const published = JSON.parse(stdout) as { xPlugin: unknown; peerDependencies: Record<string, string> };
    expect(published.xPlugin).toEqual({
      contract: CONTRACT_PACKAGE,
      export: 'plugin',
      isolation: 'in-process',
    });
    expect(published.peerDependencies[CONTRACT_PACKAGE]).toBe('^1.0.0');
  }, 600_000);
});

describe('a new host app', () => {
  it(`installs @x/host and ${PLUGIN} with npm`, async () => {
    const install = await npmInstall(registry, app, ['@x/host', PLUGIN, GENERATED, CONTRACT_PLUGIN]);
    // A 404 on a third-party package means the seed lacks it: its inputs changed without a re-warm.
    const hint = `${install.stderr}\n(Third-party packages come from the seed \`${WARM_COMMAND}\` makes.)`;
    expect(install.code, hint).toBe(0);
    expect(install.stderr).not.toMatch(/ERESOLVE|peer/);
  });

  it('loads the plugin in-process and calls it', async () => {
    expect(await callPlugin(registry, app, PLUGIN)).toEqual({
      ok: true,
      greeting: 'Howdy, World!',
      lang: 'E2E',
    });
  });

  it('can also require() the installed @x/host from CommonJS', () => {
    const out = execFileSync(process.execPath, ['-e', 'console.log(typeof require("@x/host").createHost)'], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('function');
  });

  it('installs no gRPC: a go-plugin plugin is refused with how to add it, before anything starts', async () => {
    // gRPC is an optional peer of @x/host, so that hosts that never run a go-plugin binary do not
    // install protobufjs (whose install script pnpm refuses by default).
    expect(existsSync(join(app, 'node_modules', '@grpc', 'grpc-js'))).toBe(false);
    const dir = join(app, 'go-greeter');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'go-greeter',
        version: '1.0.0',
        xPlugin: { contract: 'greeter', protocol: 'go-plugin', command: ['./never-started'] },
        peerDependencies: { '@x/contract': '^1.0.0' },
      }),
    );
    const outcome = await callPlugin(registry, app, dir);
    expect(outcome).toMatchObject({ ok: false, code: 'ERR_PLUGIN_LOAD' });
    expect((outcome as { message: string }).message).toContain(
      'npm install @grpc/grpc-js @grpc/proto-loader',
    );
  });

  it.each(['in-process', 'worker', 'process'])(
    'loads both plugins with %s isolation and calls them',
    async (isolation) => {
      expect(await callPlugin(registry, app, PLUGIN, isolation)).toEqual({
        ok: true,
        greeting: 'Howdy, World!',
        lang: 'E2E',
      });
      expect(await callPlugin(registry, app, GENERATED, isolation)).toEqual({
        ok: true,
        greeting: 'Hello, World!',
        lang: 'English',
      });
    },
  );
});

describe('a plugin for a contract package, from the CLI', () => {
  // The installed x-plugin finds the contract from the plugin's manifest (no flag, no registration);
  // a param that is not a string is parsed as JSON.
  const xPlugin = (args: string[]) =>
    run(join(app, 'node_modules', '.bin', 'x-plugin'), args, {
      cwd: app,
      env: registry.env,
      allowFailure: true,
    });

  it.each(['in-process', 'worker', 'process'])(
    'x-plugin call answers with structured data and bytes (%s)',
    async (isolation) => {
      const area = await xPlugin([
        'call',
        CONTRACT_PLUGIN,
        'area',
        '{"w":2,"h":3}',
        '--isolation',
        isolation,
        '--json',
      ]);
      expect(area.code, area.stderr).toBe(0);
      expect(JSON.parse(area.stdout)).toMatchObject({ plugin: CONTRACT_PLUGIN, method: 'area', result: 6 });
      const outline = await xPlugin([
        'call',
        CONTRACT_PLUGIN,
        'outline',
        '{"kind":"square","sides":[1,1,1,1]}',
        '--isolation',
        isolation,
        '--json',
      ]);
      expect(outline.code, outline.stderr).toBe(0);
      expect(JSON.parse(outline.stdout).result).toEqual({ perimeter: 1, label: 'example' });
      const wrong = await xPlugin(['call', CONTRACT_PLUGIN, 'area', '{"w":"two"}', '--isolation', isolation]);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('ERR_PLUGIN_CONTRACT');
    },
  );
});

describe('a plugin built for another @x/contract major', () => {
  beforeAll(async () => {
    await publishContractMajor(registry, '2.0.0');
    const dir = writePluginPackage(registry.tempDir('plugin-next-'), {
      name: NEXT_MAJOR_PLUGIN,
      version: '2.0.0',
      contractRange: '^2.0.0',
      greeting: 'Yo',
    });
    await publishPackage(dir, registry);
  });

  it('is refused by npm itself at install time (ERESOLVE on the @x/contract peer)', async () => {
    const install = await npmInstall(registry, app, [NEXT_MAJOR_PLUGIN]);
    expect(install.code).not.toBe(0);
    expect(install.stderr).toContain('ERESOLVE');
    expect(install.stderr).toContain(`peer @x/contract@"^2.0.0" from ${NEXT_MAJOR_PLUGIN}@2.0.0`);
  });

  it('installs with --force, and npm flags the unmet peer in the installed tree', async () => {
    const install = await npmInstall(registry, app, [NEXT_MAJOR_PLUGIN, '--force']);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).toContain('ERESOLVE overriding peer dependency');
    // npm ls is npm's own check of the tree it left: the plugin's peer range is not met.
    const ls = await run('npm', ['ls', '@x/contract'], { cwd: app, env: registry.env, allowFailure: true });
    expect(ls.code).not.toBe(0);
    expect(ls.stdout).toContain(`invalid: "^2.0.0" from node_modules/${NEXT_MAJOR_PLUGIN}`);
  });

  it('is refused by the host with ERR_PLUGIN_INCOMPATIBLE before any of its code runs', async () => {
    const outcome = await callPlugin(registry, app, NEXT_MAJOR_PLUGIN);
    expect(outcome).toMatchObject({ ok: false, code: 'ERR_PLUGIN_INCOMPATIBLE' });
  });

  it('leaves the compatible plugin working', async () => {
    expect(await callPlugin(registry, app, PLUGIN)).toMatchObject({ ok: true, greeting: 'Howdy, World!' });
  });
});
