import { describe, expect, it } from 'vitest';
import { plugin } from './index.js';

// Unit tests: the plugin object itself, straight from the source, no build and no host.
describe('plugin', () => {
  it('transforms its input', () => {
    expect(plugin.transform('hello')).toBe('HELLO');
  });

  it('has a name', () => {
    expect(plugin.name()).toBe('upper');
  });
});
