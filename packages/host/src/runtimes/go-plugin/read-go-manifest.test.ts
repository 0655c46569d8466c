import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '@x/contract';
import { describe, expect, it } from 'vitest';
import { readGoManifest } from './read-go-manifest.js';

const fieldOf = (x: Record<string, unknown>) => {
  try {
    readGoManifest('p', x);
  } catch (error) {
    return (error as { details: { field: string } }).details.field;
  }
  return undefined;
};

describe('readGoManifest', () => {
  it('adds nothing for a Node plugin', () => {
    expect(readGoManifest('p', { contract: 'greeter' })).toEqual({});
  });

  it("defaults the handshake to @x/contract's cookie and version 1, and isolation to process", () => {
    expect(readGoManifest('p', { protocol: 'go-plugin', command: ['./bin/p', '-v'] })).toEqual({
      protocol: 'go-plugin',
      isolation: 'process',
      command: ['./bin/p', '-v'],
      handshake: {
        protocolVersion: 1,
        magicCookieKey: MAGIC_COOKIE_KEY,
        magicCookieValue: MAGIC_COOKIE_VALUE,
      },
    });
  });

  it('names the field at fault', () => {
    expect(fieldOf({ protocol: 'grpc' })).toBe('xPlugin.protocol');
    expect(fieldOf({ protocol: 'go-plugin' })).toBe('xPlugin.command');
    expect(fieldOf({ protocol: 'go-plugin', command: [] })).toBe('xPlugin.command');
    expect(fieldOf({ protocol: 'go-plugin', command: ['x'], isolation: 'worker' })).toBe('xPlugin.isolation');
    expect(fieldOf({ protocol: 'go-plugin', command: ['x'], handshake: { protocolVersion: 0 } })).toBe(
      'xPlugin.handshake.protocolVersion',
    );
    expect(fieldOf({ protocol: 'go-plugin', command: ['x'], handshake: { magicCookieKey: 7 } })).toBe(
      'xPlugin.handshake.magicCookieKey',
    );
  });
});
