import { PluginError } from '@x/contract';
import { expect, it } from 'vitest';
import { DEFAULT_BACKPRESSURE, refuseIfBusy } from './backpressure.js';

const limits = { maxPendingCalls: 3, maxQueuedBytes: 100 };

it('lets a call through below both caps', () => {
  expect(refuseIfBusy('p', 'greet', 2, 100, limits)).toBeUndefined();
  expect(refuseIfBusy('p', 'greet', 9_999, 64 * 1024 * 1024, DEFAULT_BACKPRESSURE)).toBeUndefined();
});

it('refuses with ERR_PLUGIN_BUSY at the pending-call cap, naming the option to raise', () => {
  const error = refuseIfBusy('p', 'greet', 3, 0, limits)!;
  expect(PluginError.isInstance(error)).toBe(true);
  expect(error.code).toBe('ERR_PLUGIN_BUSY');
  expect(error.details).toEqual({ method: 'greet', limit: 'maxPendingCalls', pendingCalls: 3 });
  expect(error.message).toContain('3 calls are waiting for an answer (the cap is 3)');
  expect(error.message).toContain('raise the maxPendingCalls load option');
});

it('refuses with ERR_PLUGIN_BUSY past the unread-bytes cap', () => {
  const error = refuseIfBusy('p', 'greet', 0, 101, limits)!;
  expect(error.code).toBe('ERR_PLUGIN_BUSY');
  expect(error.details).toEqual({ method: 'greet', limit: 'maxQueuedBytes', queuedBytes: 101 });
  expect(error.message).toContain('the plugin does not read its input');
});

it('has no cap with Infinity', () => {
  expect(
    refuseIfBusy('p', 'greet', 1e9, 1e12, { maxPendingCalls: Infinity, maxQueuedBytes: Infinity }),
  ).toBeUndefined();
});
