import { greeter } from '@x/contract';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runPluginTests, testPlugin } from '../src/testing/index.js';
import { removePlugin, writePlugin } from './plugin-dir.js';

// Every mode, through the real host: the same checks in-process, in a worker and in a child process.
const isolations = ['in-process', 'worker', 'process'] as const;

const english = writePlugin(
  'greeter-plugin-english',
  `import { greeter } from '@x/contract';
import { definePlugin } from '@x/sdk';
export const plugin = definePlugin(greeter, {
  greet: (name) => \`Hello, \${name}! Nice to meet you.\`,
  lang: () => 'English',
});
`,
);
const liar = writePlugin(
  'greeter-plugin-liar',
  `export const plugin = { greet: (name) => 'Bye, ' + name, lang: () => 42 };\n`,
);
afterAll(() => {
  removePlugin(english);
  removePlugin(liar);
});

// The suite, dogfooded: this registers its own describe/it blocks.
testPlugin({
  dir: english,
  contract: greeter,
  isolations,
  cases: {
    greet: [
      [['World'], 'Hello, World! Nice to meet you.'],
      [['Gopher'], /Gopher/],
    ],
    lang: [[[], 'English']],
  },
});

describe('runPluginTests', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('passes every check of a good plugin, and reports the modes X_PLUGIN_TEST_ISOLATIONS leaves out', async () => {
    vi.stubEnv('X_PLUGIN_TEST_ISOLATIONS', 'in-process');
    const results = await runPluginTests({
      dir: new URL(`file://${english}`),
      contract: greeter,
      isolations: ['in-process', 'worker'],
      cases: { greet: [[['World'], 'Hello, World! Nice to meet you.']] },
    });
    expect(results.filter((r) => r.status === 'skipped').map((r) => r.error)).toEqual(
      Array(4).fill('X_PLUGIN_TEST_ISOLATIONS=in-process leaves "worker" out'),
    );
    const run = results.filter((r) => r.status !== 'skipped');
    expect(run.map((r) => [r.check, r.status])).toEqual([
      ['is a "greeter" plugin', 'passed'],
      ['greet("World") returns a string', 'passed'],
      ['lang() returns a string', 'passed'],
      ['greet("World") → "Hello, World! Nice to meet you."', 'passed'],
    ]);
  });

  it('fails the checks a wrong plugin breaks: declared types and behaviour', async () => {
    const results = await runPluginTests({
      dir: liar,
      contract: greeter,
      isolations,
      cases: { greet: [[['World'], 'Hello, World! Nice to meet you.']] },
    });
    for (const mode of isolations) {
      const ofMode = results.filter((r) => r.group.endsWith(`(${mode})`));
      const byCheck = Object.fromEntries(ofMode.map((r) => [r.check, r]));
      expect(byCheck['greet("World") returns a string']?.status, mode).toBe('passed');
      expect(byCheck['lang() returns a string']?.status, mode).toBe('failed');
      expect(String(byCheck['lang() returns a string']?.error), mode).toMatch(
        /answered greeter\.lang with a number.*returns a string/,
      );
      expect(byCheck['greet("World") → "Hello, World! Nice to meet you."']?.status, mode).toBe('failed');
    }
  });

  it('fails every check of a mode whose plugin will not load', async () => {
    const results = await runPluginTests({ dir: '/nonexistent/plugin', contract: greeter, isolations });
    expect(results.every((r) => r.status === 'failed')).toBe(true);
    expect(String(results[0]?.error)).toMatch(/no package\.json/);
  });

  it('refuses cases for methods the contract does not have', async () => {
    await expect(
      // @ts-expect-error not a greeter method
      runPluginTests({ dir: english, contract: greeter, cases: { transform: [[['x'], 'X']] } }),
    ).rejects.toThrow(/cases name "transform", which the "greeter" contract does not have/);
  });
});
