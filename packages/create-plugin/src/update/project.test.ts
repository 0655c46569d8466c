import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { remove, tempDir } from '../../test/run-cli.js';
import { fixtureDir } from '../../test/update-fixture.js';
import { CreateError } from '../errors.js';
import { loadProject } from './project.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) remove(dir);
});
const withPackage = (text: string | undefined) => {
  const dir = tempDir();
  dirs.push(dir);
  mkdirSync(dir, { recursive: true });
  if (text !== undefined) writeFileSync(join(dir, 'package.json'), text);
  return dir;
};
const failure = (dir: string) => {
  try {
    loadProject(dir, '1.1.0');
  } catch (error) {
    if (CreateError.isInstance(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('loadProject did not refuse');
};
const plugin = (extra: object) => JSON.stringify({ name: 'p', xPlugin: { contract: 'greeter' }, ...extra });

describe('loadProject', () => {
  it('takes an unstamped plugin to be from the 1.0 template', () => {
    expect(loadProject(fixtureDir('greeter'), '1.1.0')).toMatchObject({
      templateVersion: '1.0.0',
      stamped: false,
    });
  });

  it('reads the stamp', () => {
    const dir = withPackage(plugin({ createGreeterPlugin: { template: '1.1.0' } }));
    expect(loadProject(dir, '1.1.0')).toMatchObject({ templateVersion: '1.1.0', stamped: true });
  });

  it('refuses a folder without package.json, a package.json that is not an object, and a non-plugin', () => {
    expect(failure(withPackage(undefined))).toMatchObject({
      code: 'ERR_CREATE_UPDATE_PROJECT',
      message: expect.stringContaining('It has no package.json.'),
    });
    for (const text of ['{ not json', '[1]', '{"name": "x", /* c */ "xPlugin": {}}'])
      expect(failure(withPackage(text)).code).toBe('ERR_CREATE_UPDATE_PROJECT');
    expect(failure(withPackage('{"name": "lib"}')).message).toContain('has no "xPlugin" manifest');
  });

  it('refuses a stamp it cannot read, and one newer than this generator knows', () => {
    for (const template of ['latest', 1, '1.1', null]) {
      expect(failure(withPackage(plugin({ createGreeterPlugin: { template } })))).toMatchObject({
        code: 'ERR_CREATE_UPDATE_VERSION',
        message: expect.stringContaining('cannot be read'),
      });
    }
    expect(failure(withPackage(plugin({ createGreeterPlugin: { template: '1.2.0' } })))).toMatchObject({
      code: 'ERR_CREATE_UPDATE_VERSION',
      message: expect.stringContaining('npm create greeter-plugin@latest -- update'),
    });
  });
});
