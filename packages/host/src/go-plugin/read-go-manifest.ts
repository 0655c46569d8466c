import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '@x/contract';
import { badManifest } from '../errors.js';
import type { GoPluginHandshake, PluginManifest } from '../manifest.js';

type GoFields = Pick<PluginManifest, 'protocol' | 'command' | 'handshake'> & { isolation?: 'process' };

/**
 * Reads the manifest fields of a plugin that speaks hashicorp/go-plugin's gRPC protocol:
 * `protocol: "go-plugin"`, the `command` that starts it, and its `handshake` (go-plugin's
 * HandshakeConfig), defaulting to @x/contract's cookie and app protocol version 1.
 */
export function readGoManifest(name: string, x: Record<string, unknown>): GoFields {
  if (x.protocol === undefined || x.protocol === 'x') return {};
  if (x.protocol !== 'go-plugin') {
    throw badManifest(
      name,
      'xPlugin.protocol',
      `must be "go-plugin" or absent, not ${JSON.stringify(x.protocol)}`,
      'Remove it for a Node plugin, or set "go-plugin" for a hashicorp/go-plugin binary.',
    );
  }
  if (x.isolation !== undefined && x.isolation !== 'process') {
    throw badManifest(
      name,
      'xPlugin.isolation',
      `must be "process" for a go-plugin plugin, not ${JSON.stringify(x.isolation)}`,
      'A go-plugin binary always runs in its own process: set "isolation": "process" or remove it.',
    );
  }
  const command = x.command;
  if (
    !Array.isArray(command) ||
    command.length === 0 ||
    command.some((c) => typeof c !== 'string' || c === '')
  ) {
    throw badManifest(
      name,
      'xPlugin.command',
      command === undefined
        ? 'is missing'
        : `must be a non-empty array of strings, not ${JSON.stringify(command)}`,
      'Set it to the program and its arguments, relative to the package folder, e.g. ["./bin/my-plugin"].',
    );
  }
  return {
    protocol: 'go-plugin',
    isolation: 'process',
    command,
    handshake: readHandshake(name, x.handshake),
  };
}

function readHandshake(name: string, raw: unknown): GoPluginHandshake {
  const h = (raw ?? {}) as Record<string, unknown>;
  const fix =
    'Write it as go-plugin\'s HandshakeConfig: { "protocolVersion": 1, "magicCookieKey": "...", "magicCookieValue": "..." }.';
  if (typeof h !== 'object' || Array.isArray(h)) {
    throw badManifest(name, 'xPlugin.handshake', `must be an object, not ${JSON.stringify(raw)}`, fix);
  }
  const protocolVersion = h.protocolVersion ?? 1;
  if (!Number.isInteger(protocolVersion) || (protocolVersion as number) < 1) {
    throw badManifest(
      name,
      'xPlugin.handshake.protocolVersion',
      `must be a positive integer, not ${JSON.stringify(h.protocolVersion)}`,
      fix,
    );
  }
  for (const field of ['magicCookieKey', 'magicCookieValue'] as const) {
    if (h[field] !== undefined && (typeof h[field] !== 'string' || h[field] === '')) {
      throw badManifest(
        name,
        `xPlugin.handshake.${field}`,
        `must be a non-empty string, not ${JSON.stringify(h[field])}`,
        fix,
      );
    }
  }
  return {
    protocolVersion: protocolVersion as number,
    magicCookieKey: (h.magicCookieKey as string | undefined) ?? MAGIC_COOKIE_KEY,
    magicCookieValue: (h.magicCookieValue as string | undefined) ?? MAGIC_COOKIE_VALUE,
  };
}
