import { X509Certificate } from 'node:crypto';
import type { ChannelCredentials, ServerCredentials } from '@grpc/grpc-js';
import { PluginError } from '@x/contract';
import type { GrpcModules } from './grpc-modules.js';
import { generateSelfSigned } from './self-signed-cert.js';

/** The host's one-time certificate for one plugin start (go-plugin's client generateCert()). */
export interface ClientCert {
  readonly certPem: string;
  readonly keyPem: string;
}

/** What both sides of one plugin's connections trust: our certificate, and the plugin's, pinned. */
export interface MutualTls {
  readonly client: ClientCert;
  /** The plugin's server certificate from its handshake line, as PEM. */
  readonly pluginPem: string;
  /** Its SHA-256 fingerprint (Node's colon form), the pin every TLS connection is checked against. */
  readonly pluginFingerprint: string;
}

const DAY_MS = 86_400_000;

/**
 * The host's certificate for one start: an ephemeral self-signed ECDSA P-256 one (go-plugin uses
 * P-521; P-256 is as strong as the TLS suites both sides pick, at a fraction of the cost of each
 * handshake). The plugin reads it from PLUGIN_CLIENT_CERT and trusts it as its only client CA; the
 * key never leaves the host's memory. A day is ample: a restart makes a new one.
 */
export function makeClientCert(): ClientCert {
  // "unused": the name go-plugin < 1.4.5 checks when it dials a brokered connection (self-signed-cert.ts).
  const { certPem, keyPem } = generateSelfSigned('x-plugin-kit', DAY_MS, ['localhost', 'unused']);
  return { certPem, keyPem };
}

/**
 * Reads the plugin's certificate from its handshake line (base64 DER without padding, go's
 * RawStdEncoding): anything that is not one X.509 certificate fails the handshake.
 */
export function pluginCertificate(plugin: string, client: ClientCert, field: string): MutualTls {
  try {
    if (!/^[A-Za-z0-9+/]+=*$/.test(field)) throw new Error('it is not base64');
    const cert = new X509Certificate(Buffer.from(field, 'base64'));
    return { client, pluginPem: cert.toString(), pluginFingerprint: cert.fingerprint256 };
  } catch (error) {
    throw new PluginError({
      code: 'ERR_PLUGIN_HANDSHAKE',
      plugin,
      what: `Plugin "${plugin}" answered the go-plugin handshake with a server certificate that cannot be read.`,
      why: `go-plugin's AutoMTLS sends a base64 DER X.509 certificate as the 6th field: ${(error as Error).message}.`,
      fix: "Serve the plugin with go-plugin's plugin.Serve (it makes that certificate itself), or load it with autoMTLS: false.",
      cause: error,
    });
  }
}

/**
 * The pin, rather than a host name: the plugin's certificate is the one its handshake named, and
 * no other, whatever name it carries (go-plugin's is always "localhost"). A `checkServerIdentity`.
 */
export function pinnedIdentity(
  tls: MutualTls,
): (host: string, cert: { fingerprint256: string }) => Error | undefined {
  return (_host, cert) =>
    cert.fingerprint256 === tls.pluginFingerprint
      ? undefined
      : new Error(`the plugin's TLS certificate is not the one its handshake named`);
}

/** Channel credentials for the host's connection to the plugin: our certificate, its certificate pinned. */
export function clientCredentials({ grpc }: GrpcModules, tls: MutualTls): ChannelCredentials {
  return grpc.credentials.createSsl(
    Buffer.from(tls.pluginPem),
    Buffer.from(tls.client.keyPem),
    Buffer.from(tls.client.certPem),
    { checkServerIdentity: pinnedIdentity(tls) },
  );
}

/** Channel options that go with clientCredentials: the name go-plugin's certificates carry. */
export const TLS_CHANNEL_OPTIONS = {
  'grpc.ssl_target_name_override': 'localhost',
  'grpc.default_authority': 'localhost',
} as const;

/**
 * Server credentials for a brokered connection the host serves (its host functions): the plugin
 * dials it with its own certificate as the client certificate, as go-plugin's broker does, and
 * only that certificate is accepted.
 */
export function serverCredentials({ grpc }: GrpcModules, tls: MutualTls): ServerCredentials {
  return grpc.ServerCredentials.createSsl(
    Buffer.from(tls.pluginPem),
    [{ private_key: Buffer.from(tls.client.keyPem), cert_chain: Buffer.from(tls.client.certPem) }],
    true,
  );
}
