import { describe, expect, it } from 'vitest';
import { PluginError } from './plugin-error.js';

describe('PluginError', () => {
  const error = new PluginError({
    code: 'ERR_PLUGIN_NOT_FOUND',
    plugin: 'greeter-plugin-french',
    what: 'Plugin "greeter-plugin-french" was not found.',
    why: 'No node_modules folder above /app holds it.',
    fix: 'Install it with `npm install greeter-plugin-french`.',
  });

  it('carries its code, plugin and a three-part message', () => {
    expect(error.code).toBe('ERR_PLUGIN_NOT_FOUND');
    expect(error.plugin).toBe('greeter-plugin-french');
    expect(error.message).toBe(
      'Plugin "greeter-plugin-french" was not found. No node_modules folder above /app holds it. Install it with `npm install greeter-plugin-french`.',
    );
  });

  it('is recognised by its marker, not by instanceof', () => {
    // What a second copy of @x/contract would produce: same marker, different class.
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('x.plugin.error')]: true,
      code: 'ERR_PLUGIN_LOAD',
    });
    expect(PluginError.isInstance(error)).toBe(true);
    expect(PluginError.isInstance(foreign)).toBe(true);
    expect(PluginError.isInstance(new Error('plain'))).toBe(false);
    expect(PluginError.isInstance(null)).toBe(false);
    expect(PluginError.isInstance('ERR_PLUGIN_LOAD')).toBe(false);
  });

  it('serialises to JSON with its fields', () => {
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      code: 'ERR_PLUGIN_NOT_FOUND',
      plugin: 'greeter-plugin-french',
    });
  });
});
