import { describe, expect, it } from 'vitest';
import { plugin } from './index.js';

// Unit tests: the plugin straight from the source, no build and no host (its factory runs once,
// with no config and no host functions; each method answers with a promise).
describe('plugin', () => {
  it('transforms its input', async () => {
    expect(await plugin.transform('hello')).toBe('HELLO');
  });

  it('has a name', async () => {
    expect(await plugin.name()).toBe('upper');
  });
});
