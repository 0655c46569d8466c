import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { greeter, type PluginError } from '@x/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlugin } from '../src/load/load-plugin.js';
import { Project } from './fixtures.js';
import { collectingLogger, isAlive, rejection } from './isolation-helpers.js';

// Fake go-plugin servers written in Node, so the handshake's failure paths are tested with or
// without Go installed. Each writes its pid to pid.txt so the test can check it was ended.
const project = new Project();
afterAll(() => project.remove());

function fake(at: string, body: string, xPlugin: object = {}): string {
  project.write(
    join(at, 'fake.mjs'),
    `import { writeFileSync } from 'node:fs';\nwriteFileSync('pid.txt', String(process.pid));\n${body}\n`,
  );
  project.write(
    join(at, 'package.json'),
    JSON.stringify({
      name: at,
      version: '1.0.0',
      peerDependencies: { '@x/contract': '^1.0.0' },
      xPlugin: {
        contract: 'greeter',
        protocol: 'go-plugin',
        command: [process.execPath, 'fake.mjs'],
        ...xPlugin,
      },
    }),
  );
  return join(project.dir, at);
}

function failure(dir: string, startTimeout?: number, autoMTLS?: boolean): Promise<PluginError> {
  return rejection(
    loadPlugin(dir, {
      contract: greeter,
      logger: collectingLogger().logger,
      timeout: startTimeout,
      autoMTLS,
    }),
  );
}

const pidOf = (dir: string) => Number(readFileSync(join(dir, 'pid.txt'), 'utf8'));

describe('go-plugin handshake failures', () => {
  it('ERR_PLUGIN_HANDSHAKE on a line that is not a handshake, and the process is ended', async () => {
    const dir = fake('garbage', "console.log('hello, I am not a plugin'); setInterval(() => {}, 1000);");
    const error = await failure(dir);
    expect(error.code).toBe('ERR_PLUGIN_HANDSHAKE');
    expect(error.what).toMatch(/hello, I am not a plugin/);
    expect(isAlive(pidOf(dir))).toBe(false);
  });

  it('ERR_PLUGIN_HANDSHAKE naming the protocol when the plugin serves net/rpc', async () => {
    const dir = fake('netrpc', "console.log('1|1|unix|/tmp/nowhere|netrpc|'); setInterval(() => {}, 1000);");
    expect((await failure(dir)).why).toMatch(/"netrpc"/);
  });

  it('ERR_PLUGIN_TIMEOUT when no handshake comes, and the process is ended', async () => {
    const dir = fake('silent', 'setInterval(() => {}, 1000);');
    const error = await failure(dir, 500);
    expect(error.code).toBe('ERR_PLUGIN_TIMEOUT');
    expect(isAlive(pidOf(dir))).toBe(false);
  });

  it('ERR_PLUGIN_HANDSHAKE with its stderr when it exits first', async () => {
    const dir = fake('exits', "console.error('cookie mismatch, bye'); process.exit(1);");
    const error = await failure(dir);
    expect(error.code).toBe('ERR_PLUGIN_HANDSHAKE');
    expect(error.why).toMatch(/cookie mismatch, bye/);
  });

  it('ERR_PLUGIN_HANDSHAKE when the socket it names does not answer the health check', async () => {
    const dir = fake(
      'unhealthy',
      "console.log('1|1|unix|/tmp/x-no-such-socket|grpc|'); setInterval(() => {}, 1000);",
    );
    const error = await failure(dir, 2_000);
    expect(error.code).toBe('ERR_PLUGIN_HANDSHAKE');
    expect(error.why).toMatch(/health check/);
    expect(isAlive(pidOf(dir))).toBe(false);
  });

  it('ERR_PLUGIN_HANDSHAKE when autoMTLS: true and the plugin answers no certificate, and the process is ended', async () => {
    // It also records whether the host offered one, so the test sees the offer itself.
    const dir = fake(
      'no-tls',
      "writeFileSync('cert.txt', process.env.PLUGIN_CLIENT_CERT ?? ''); console.log('1|1|unix|/tmp/x-nowhere|grpc|'); setInterval(() => {}, 1000);",
    );
    const error = await failure(dir, undefined, true);
    expect(error.code).toBe('ERR_PLUGIN_HANDSHAKE');
    expect(error.why).toMatch(/no 6th field/);
    expect(readFileSync(join(dir, 'cert.txt'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(isAlive(pidOf(dir))).toBe(false);
  });

  it('ERR_PLUGIN_HANDSHAKE when the certificate field is not a certificate', async () => {
    const dir = fake(
      'bad-cert',
      "console.log('1|1|unix|/tmp/x-nowhere|grpc|bm90IGEgY2VydA'); setInterval(() => {}, 1000);",
    );
    const error = await failure(dir);
    expect(error.code).toBe('ERR_PLUGIN_HANDSHAKE');
    expect(error.what).toMatch(/server certificate that cannot be read/);
    expect(isAlive(pidOf(dir))).toBe(false);
  });

  it('ERR_PLUGIN_HANDSHAKE when autoMTLS: false and the plugin answers a certificate anyway (its own TLSProvider)', async () => {
    const dir = fake(
      'own-tls',
      "writeFileSync('cert.txt', process.env.PLUGIN_CLIENT_CERT ?? 'none'); console.log('1|1|unix|/tmp/x-nowhere|grpc|MIIB'); setInterval(() => {}, 1000);",
    );
    const error = await failure(dir, undefined, false);
    expect(error.code).toBe('ERR_PLUGIN_HANDSHAKE');
    expect(error.what).toMatch(/certificate the host did not ask for/);
    expect(readFileSync(join(dir, 'cert.txt'), 'utf8')).toBe('none');
  });

  it('refuses an autoMTLS that is not a boolean, and autoMTLS for a plugin that is not a go-plugin binary', async () => {
    const dir = fake('opts', '');
    const error = await rejection(loadPlugin(dir, { autoMTLS: 'yes' as unknown as boolean }));
    expect(error).toMatchObject({ code: 'ERR_PLUGIN_OPTIONS', details: { option: 'autoMTLS' } });
    project.write(
      'node-plugin/package.json',
      JSON.stringify({
        name: 'node-plugin',
        version: '1.0.0',
        type: 'module',
        peerDependencies: { '@x/contract': '^1.0.0' },
        xPlugin: { contract: 'greeter', isolation: 'process' },
      }),
    );
    project.write('node-plugin/index.js', "export const plugin = { greet: (n) => n, lang: () => 'x' };");
    const refused = await rejection(loadPlugin(join(project.dir, 'node-plugin'), { autoMTLS: true }));
    expect(refused).toMatchObject({ code: 'ERR_PLUGIN_LOAD', details: { option: 'autoMTLS' } });
  });

  it('ERR_PLUGIN_LOAD when the command cannot be started', async () => {
    const dir = fake('missing', '', { command: ['./bin/not-built'] });
    expect((await failure(dir)).code).toBe('ERR_PLUGIN_LOAD');
  });

  it('ERR_PLUGIN_LOAD when asked to run a go-plugin plugin in-process', async () => {
    const dir = fake('inproc', '');
    const error = await rejection(loadPlugin(dir, { isolation: 'in-process' }));
    expect(error).toMatchObject({ code: 'ERR_PLUGIN_LOAD' });
  });
});

describe('@x/host without go-plugin plugins', () => {
  it('does not load @grpc/grpc-js', () => {
    const dist = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8');
    expect(dist).not.toMatch(/^import .* from ["']@grpc\//m);
    expect(dist).toMatch(/import\(["']@grpc\/grpc-js["']\)/);
  });
});
