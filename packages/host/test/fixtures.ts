import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface PluginFixture {
  /** package.json fields, merged over a valid greeter plugin's. */
  readonly packageJson?: Record<string, unknown>;
  /** Files of the package, by relative path. Default: a working ESM English greeter. */
  readonly files?: Record<string, string>;
}

export const ENGLISH_ESM = `export const plugin = {
  greet: (name) => \`Hello, \${name}! Nice to meet you.\`,
  lang: () => 'English',
};
`;

export const ENGLISH_CJS = `exports.plugin = {
  greet: (name) => \`Hello, \${name}! Nice to meet you.\`,
  lang: () => 'English',
};
`;

const require = createRequire(import.meta.url);
/** The real, built packages of this workspace, to link into fixture projects. */
export const workspacePackage = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * A throw-away project on disk with real plugin packages in its node_modules: what the host
 * meets in the wild, not a mock of import().
 */
export class Project {
  readonly dir = realpathSync(mkdtempSync(join(tmpdir(), 'x-plugin-test-')));

  constructor() {
    writeFileSync(join(this.dir, 'package.json'), JSON.stringify({ name: 'fixture-app', private: true }));
  }

  /** Writes a plugin package under node_modules/<name> (or under `at`, relative to the project). */
  addPlugin(name: string, fixture: PluginFixture = {}, at = join('node_modules', name)): string {
    const dir = join(this.dir, at);
    const packageJson = {
      name,
      version: '1.0.0',
      type: 'module',
      keywords: ['x-plugin'],
      exports: './index.js',
      xPlugin: { contract: 'greeter' },
      peerDependencies: { '@x/contract': '^1.0.0' },
      ...fixture.packageJson,
    };
    this.write(join(at, 'package.json'), JSON.stringify(packageJson, null, 2));
    for (const [file, text] of Object.entries(fixture.files ?? { 'index.js': ENGLISH_ESM })) {
      this.write(join(at, file), text);
    }
    return dir;
  }

  /** Links a workspace package (such as @x/contract) into the project's node_modules. */
  link(name: string, target = workspacePackage(name), at = join('node_modules', name)): void {
    const path = join(this.dir, at);
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(target, path, 'dir');
  }

  write(file: string, text: string): void {
    const path = join(this.dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }

  [Symbol.dispose](): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
