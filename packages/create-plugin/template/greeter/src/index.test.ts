import { describe, expect, it } from 'vitest';
import { plugin } from './index.js';

// Unit tests: the plugin straight from the source, no build and no host (its factory runs once,
// with no config and no host functions; each method answers with a promise).
describe('plugin', () => {
  it('greets by name', async () => {
    expect(await plugin.greet('World')).toBe('Hello, World!');
  });

  it('says which language it speaks', async () => {
    expect(await plugin.lang()).toBe('English');
  });
});
