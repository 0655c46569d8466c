import { type AnyContract, defineContract } from '@x/contract';
import type { Project } from './fixtures.js';

// A factory-form plugin with config, host functions and a dispose hook, written as a real package
// over the real, built @x/sdk: what a group member, a lazy or an idle plugin must keep doing.

const CONTRACT_DATA = {
  name: 'member',
  methods: {
    who: { params: [], returns: 'string' },
    where: { params: [], returns: 'string' },
    ask: { params: [{ name: 'q', type: 'string' }], returns: 'string' },
    crash: { params: [], returns: 'void' },
    spin: { params: [], returns: 'void' },
    // What t.stream(t.number()) builds, as plain JSON (the plugin's copy is written into its source).
    count: {
      params: [{ name: 'n', type: 'number' }],
      returns: { type: 'AsyncIterator', items: { type: 'number' } },
    },
  },
  host: {
    answer: { params: [{ name: 'q', type: 'string' }], returns: 'string' },
    disposed: { params: [{ name: 'who', type: 'string' }], returns: 'void' },
  },
  config: { type: 'object' },
} as const;

export const member = defineContract(CONTRACT_DATA as never) as AnyContract;

const plugin = (name: string) => `import { definePlugin } from '@x/sdk';
import { existsSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
// A file named "broken" beside this one makes the import fail (a plugin that cannot start).
if (existsSync(new URL('./broken', import.meta.url))) throw new Error('broken on purpose');
console.log('started ${name}');
const contract = ${JSON.stringify(CONTRACT_DATA)};
export const plugin = definePlugin(contract, (ctx) => {
  ctx.onDispose(() => ctx.host.disposed(ctx.config.name));
  return {
    who: () => '${name}/' + ctx.config.name,
    where: () => process.pid + '/' + threadId,
    ask: async (q) => '${name} heard ' + (await ctx.host.answer(q)),
    crash: () => { setTimeout(() => process.exit(7), 1); },
    spin: () => { for (;;) {} },
    count: async function* (n) { for (let i = 0; i < n; i++) yield i + ctx.config.base; },
  };
});
`;

/** Writes member plugin packages `names` into `project` (with @x/sdk and @x/contract linked). */
export function addMembers(project: Project, names: readonly string[]): void {
  project.link('@x/contract');
  project.link('@x/sdk');
  for (const name of names) {
    project.addPlugin(name, {
      packageJson: { xPlugin: { contract: 'member' } },
      files: { 'index.js': plugin(name) },
    });
  }
}

/** The host functions of one member, recording what reached them. */
export function hostOf(name: string, disposed: string[]) {
  return {
    answer: (q: string) => `${q} from the host of ${name}`,
    disposed: (who: string) => {
      disposed.push(who);
    },
  };
}
