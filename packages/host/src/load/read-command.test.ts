import { describe, expect, it } from 'vitest';
import { readCommandManifest } from './read-command.js';

const fieldOf = (x: Record<string, unknown>) => {
  try {
    readCommandManifest('p', x);
  } catch (error) {
    return (error as { details: { field: string } }).details.field;
  }
  return undefined;
};

describe('readCommandManifest', () => {
  it('adds nothing for a Node plugin (no command)', () => {
    expect(readCommandManifest('p', { contract: 'greeter', isolation: 'worker' })).toEqual({});
  });

  it('reads the command of a plugin speaking x, and makes process its isolation', () => {
    expect(readCommandManifest('p', { command: ['python3', './plugin.py'] })).toEqual({
      command: ['python3', './plugin.py'],
      isolation: 'process',
    });
    expect(readCommandManifest('p', { protocol: 'x', command: ['./bin/p'], isolation: 'process' })).toEqual({
      command: ['./bin/p'],
      isolation: 'process',
    });
  });

  it('names the field at fault', () => {
    expect(fieldOf({ command: [] })).toBe('xPlugin.command');
    expect(fieldOf({ command: 'python3 plugin.py' })).toBe('xPlugin.command');
    expect(fieldOf({ command: ['python3', ''] })).toBe('xPlugin.command');
    expect(fieldOf({ command: ['python3'], isolation: 'worker' })).toBe('xPlugin.isolation');
    expect(fieldOf({ command: ['python3'], isolation: 'in-process' })).toBe('xPlugin.isolation');
  });
});
