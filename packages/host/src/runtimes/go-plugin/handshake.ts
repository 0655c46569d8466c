import { PluginError } from '@x/contract';

/** go-plugin's CoreProtocolVersion: the version of the handshake line itself, 1 since go-plugin 0.x. */
export const CORE_PROTOCOL_VERSION = 1;

export interface GoHandshake {
  readonly appProtocolVersion: number;
  readonly network: 'unix' | 'tcp';
  readonly address: string;
  /** The 6th field: the plugin's TLS certificate (base64 DER), when it answered PLUGIN_CLIENT_CERT. */
  readonly serverCert?: string | undefined;
}

function bad(plugin: string, line: string, why: string, fix: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_HANDSHAKE',
    plugin,
    what: `Plugin "${plugin}" answered the go-plugin handshake with ${JSON.stringify(line.slice(0, 200))}.`,
    why,
    fix,
    details: { line },
  });
}

/**
 * Parses the line a go-plugin server prints first on stdout:
 * `CORE-PROTOCOL-VERSION|APP-PROTOCOL-VERSION|NETWORK-TYPE|NETWORK-ADDR|PROTOCOL[|SERVER-CERT]`,
 * and checks it against what the host offered. Every mismatch names both sides.
 */
export function parseHandshake(plugin: string, line: string, offered: readonly number[]): GoHandshake {
  const parts = line.trim().split('|');
  if (parts.length < 5) {
    throw bad(
      plugin,
      line,
      'A go-plugin server must first print CORE-PROTOCOL-VERSION|APP-PROTOCOL-VERSION|NETWORK-TYPE|NETWORK-ADDR|PROTOCOL on stdout, and this is not that line.',
      'Make sure the plugin calls plugin.Serve() before printing anything to stdout, and that xPlugin.command starts a go-plugin binary.',
    );
  }
  const [core, app, network, address, protocol, cert] = parts as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (Number(core) !== CORE_PROTOCOL_VERSION) {
    throw bad(
      plugin,
      line,
      `The plugin speaks go-plugin core protocol ${core}; this host speaks ${CORE_PROTOCOL_VERSION}.`,
      'Rebuild the plugin against a hashicorp/go-plugin release with core protocol 1.',
    );
  }
  const appVersion = Number(app);
  if (!offered.includes(appVersion)) {
    throw bad(
      plugin,
      line,
      `The plugin chose app protocol version ${app}; the host offered ${offered.join(', ')} (xPlugin.handshake.protocolVersion, or the versions load option).`,
      "Offer the plugin's version: xPlugin.handshake.protocolVersion (its HandshakeConfig.ProtocolVersion) or a key of the versions load option (its VersionedPlugins); or rebuild the plugin for the host's version.",
    );
  }
  if (protocol !== 'grpc') {
    throw bad(
      plugin,
      line,
      `The plugin serves go-plugin's "${protocol}" protocol; @x/host speaks only "grpc".`,
      'Serve the plugin with a GRPCServer (plugin.ServeConfig.GRPCServer) and a GRPCPlugin.',
    );
  }
  if (network !== 'unix' && network !== 'tcp') {
    throw bad(
      plugin,
      line,
      `The plugin listens on a "${network}" network; the host connects over "unix" or "tcp" only.`,
      'Serve the plugin with go-plugin on Linux or macOS (unix socket) or Windows (tcp).',
    );
  }
  // AutoMTLS (go-plugin >= 1.0): the plugin's certificate, read and pinned by mtls.ts.
  return { appProtocolVersion: appVersion, network, address, serverCert: cert === '' ? undefined : cert };
}
