import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '@x/contract';
import { badManifest } from '../../errors.js';
import { readCommand, requireProcessIsolation } from '../../load/read-command.js';
import type { GoPluginHandshake, PluginManifest } from '../../manifest.js';

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
      `must be "x", "go-plugin" or absent, not ${JSON.stringify(x.protocol)}`,
      'Remove it (or set "x") for a plugin that speaks x\'s own protocol, or set "go-plugin" for a hashicorp/go-plugin binary.',
    );
  }
  requireProcessIsolation(name, x, 'a go-plugin plugin');
  const command = readCommand(name, x, true);
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
