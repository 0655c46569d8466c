import { PluginError } from '@x/contract';
import type { GoHandshake } from './handshake.js';
import { type ClientCert, type MutualTls, makeClientCert, pluginCertificate } from './mtls.js';

/**
 * The host's half of go-plugin's AutoMTLS for one start: the client certificate to offer in
 * PLUGIN_CLIENT_CERT, or none when the autoMTLS load option is false. Whether TLS is used is then
 * the plugin's answer (agreeTls): every go-plugin since 1.0 answers with its own certificate; a
 * plugin written by hand, such as go-plugin's Python example, does not, and is spoken to in plain gRPC.
 */
export function offerClientCert(autoMTLS: boolean | undefined): ClientCert | undefined {
  return autoMTLS === false ? undefined : makeClientCert();
}

/** What both sides agreed after the handshake: mutual TLS with the plugin's certificate pinned, or plain gRPC. */
export function agreeTls(
  plugin: string,
  offered: ClientCert | undefined,
  handshake: GoHandshake,
  autoMTLS: boolean | undefined,
): MutualTls | undefined {
  if (handshake.serverCert !== undefined) {
    if (offered === undefined) {
      // A plugin with its own TLSProvider: its CA is not one the host was given to trust.
      throw new PluginError({
        code: 'ERR_PLUGIN_HANDSHAKE',
        plugin,
        what: `Plugin "${plugin}" answered the go-plugin handshake with a TLS certificate the host did not ask for.`,
        why: 'The host offered no client certificate (autoMTLS: false), so it has no way to trust that one: the plugin serves TLS of its own (a TLSProvider).',
        fix: 'Load it without autoMTLS: false, so that the host and the plugin agree on certificates (AutoMTLS), or serve it without a TLSProvider.',
      });
    }
    return pluginCertificate(plugin, offered, handshake.serverCert);
  }
  if (autoMTLS === true) {
    throw new PluginError({
      code: 'ERR_PLUGIN_HANDSHAKE',
      plugin,
      what: `Plugin "${plugin}" did not answer the host's client certificate, and autoMTLS: true requires TLS.`,
      why: "Its handshake line has no 6th field (a server certificate): it was not built with go-plugin's plugin.Serve (1.0 or later), or it ignores PLUGIN_CLIENT_CERT.",
      fix: 'Rebuild the plugin with hashicorp/go-plugin 1.0 or later, or load it without autoMTLS: true.',
    });
  }
  return undefined;
}
