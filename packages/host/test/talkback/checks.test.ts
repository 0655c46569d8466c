import { type AnyContract, defineContract, t } from '@x/contract';
import { describe, expect, it } from 'vitest';
import { type Isolation, loadPlugin } from '../../src/index.js';
import { collectingLogger, MODES, rejection } from '../isolation-helpers.js';
import { CONTRACT_DATA, kv, useTalkbackProject } from './talkback-fixture.js';

// The talkback load options checked as every other option (ERR_PLUGIN_OPTIONS, before anything
// starts), the config against the contract's compiled `config` schema, and host functions'
// answers against their compiled `returns`.

const ALL: Isolation[] = ['in-process', ...MODES];

// The kv contract, with a config schema of its own: an object whose `quality` is an integer.
const strict = defineContract({
  ...(CONTRACT_DATA as unknown as AnyContract),
  config: t.object({ quality: t.integer(), name: t.optional(t.string()) }),
}) as AnyContract;

const env = useTalkbackProject();

const load = (isolation: Isolation, extra: Record<string, unknown>, contract: AnyContract = kv) =>
  loadPlugin('kv-plugin', {
    cwd: env.project.dir,
    contract,
    contracts: { kv: contract },
    isolation,
    ...extra,
  }).then((h) => {
    env.handles.push(h);
    return h;
  });

describe.each(ALL)('talkback checks, %s', (isolation) => {
  it('refuses a config that breaks the contract schema, naming the field, before the plugin starts', async () => {
    const { logger, lines } = collectingLogger();
    const error = await rejection(load(isolation, { config: { quality: 'high' }, logger }, strict));
    expect(error.code).toBe('ERR_PLUGIN_OPTIONS');
    expect(error.message).toContain('config.quality');
    expect(error.details).toMatchObject({ option: 'config' });
    // Nothing of the plugin ran: its factory logs "factory ran" as soon as it is made.
    expect(lines.some((l) => l.message === 'factory ran')).toBe(false);
    const handle = await load(isolation, { config: { quality: 7 }, logger }, strict);
    expect(await handle.call('config', [])).toBe('{"quality":7}');
  });

  it("a host function's wrong answer is the host's fault, refused with ERR_PLUGIN_HOST_FUNCTION", async () => {
    const handle = await load(isolation, { host: { fetch: () => 42 } });
    const error = await rejection(handle.call('lookup', ['k']));
    // In-process the plugin's rejection is the PluginError itself; across isolation it is the
    // plugin's thrown error, kept as the cause of ERR_PLUGIN_CALL.
    const seen = (error.code === 'ERR_PLUGIN_CALL' ? error.cause : error) as {
      code?: unknown;
      message: string;
    };
    expect(seen.code).toBe('ERR_PLUGIN_HOST_FUNCTION');
    expect(seen.message).toContain('answered plugin "kv-plugin" with a value its contract does not allow');
  });
});

describe('talkback load options', () => {
  it.each([
    ['host', { host: { fetch: 42 } }, '"fetch" is 42'],
    ['host', { host: 'fetch' }, 'must be an object of functions'],
    ['hostTimeout', { hostTimeout: -1 }, 'whole number of milliseconds'],
    ['disposeTimeout', { disposeTimeout: 1.5 }, 'whole number of milliseconds'],
    ['onRestart', { onRestart: 'yes' }, 'must be a function'],
  ])('refuses a malformed %s with ERR_PLUGIN_OPTIONS, before anything starts', async (option, extra, why) => {
    const error = await rejection(load('process', extra));
    expect(error.code).toBe('ERR_PLUGIN_OPTIONS');
    expect(error.details).toMatchObject({ option });
    expect(error.message).toContain(why);
  });
});
