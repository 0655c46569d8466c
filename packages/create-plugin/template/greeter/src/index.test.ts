import { describe, expect, it } from 'vitest';
import { plugin } from './index.js';

// Unit tests: the plugin object itself, straight from the source, no build and no host.
describe('plugin', () => {
  it('greets by name', () => {
    expect(plugin.greet('World')).toBe('Hello, World!');
  });

  it('says which language it speaks', () => {
    expect(plugin.lang()).toBe('English');
  });
});
