import { type AnyContract, PluginError } from '@x/contract';
import type { Done } from '../../core/call-pipeline.js';
import type { PluginPackage } from '../../manifest.js';
import type { ResolvedLoadOptions } from '../../options/resolve-load-options.js';
import type { BrokerSession, HostBroker } from './broker.js';
import { type HostService, mapHostService } from './host-service.js';

export type { Done };

/**
 * The host service of a plugin whose manifest names one (xPlugin.broker), mapped and checked at
 * load; host functions passed to a plugin that names none are refused, since it could never call them.
 */
export function brokeredHostService(
  pkg: PluginPackage,
  contract: AnyContract,
  options: ResolvedLoadOptions,
  /** The plugin's service (of the protocol version), where the id field is looked up. */
  spec: { readonly proto?: string | undefined; readonly service?: string | undefined },
): HostService | undefined {
  const { broker } = pkg.manifest;
  const { proto, service } = spec;
  if (broker === undefined || proto === undefined || service === undefined) {
    if (options.host !== undefined) {
      throw new PluginError({
        code: 'ERR_PLUGIN_LOAD',
        plugin: pkg.name,
        what: `Plugin "${pkg.name}" was loaded with the "host" option, which it cannot honour.`,
        why: 'It is a go-plugin binary whose manifest names no xPlugin.broker: no service through which it would call the host.',
        fix: 'Name the service it dials through go-plugin\'s GRPCBroker in its manifest ("broker": { "service": "<package>.<Service>", "idField": "<request field>" }), or remove the option.',
        details: { option: 'host', runtime: 'go-plugin' },
      });
    }
    return undefined;
  }
  return mapHostService(pkg.name, pkg.dir, contract, proto, service, broker);
}

/**
 * Sends one call whose request carries a broker id: first a brokered connection serving the host's
 * functions (accept), then the call with its id; the connection ends when the call settles or is
 * cancelled (as go-plugin's examples/bidirectional stops its server once Put returns).
 */
export function withBrokerSession(
  broker: HostBroker,
  tls: boolean,
  done: Done,
  send: (request: Uint8Array, done: Done) => (() => void) | undefined,
  request: (id: number) => Uint8Array,
): () => void {
  let session: BrokerSession | undefined;
  let cancelled = false;
  let cancel: (() => void) | undefined;
  const end: Done = (error, value) => {
    session?.stop();
    if (error === undefined) return done(undefined, value);
    if (tls && isBrokerTlsFailure(error)) return done(oldGoPluginTls(error as PluginError));
    // The plugin answered with the refusal the host gave it (examples/bidirectional returns Sum's
    // error as Put's): the host's own error, blamed where it belongs, not "the plugin failed".
    const cause = (error as { cause?: { details?: string } }).cause?.details ?? '';
    const own = session?.hostErrors.find((e) => cause.includes(e.what));
    done(own ?? error);
  };
  broker.accept().then(
    (s) => {
      session = s;
      if (cancelled) s.stop();
      else cancel = send(request(s.id), end);
    },
    (error: unknown) => {
      if (cancelled) return;
      done(
        PluginError.isInstance(error)
          ? error
          : new PluginError({
              code: 'ERR_PLUGIN_CALL',
              plugin: broker.plugin,
              what: `The host could not serve its functions to plugin "${broker.plugin}" for this call; nothing was sent.`,
              why: `Its brokered connection could not be opened: ${(error as Error).message}`,
              fix: 'Check that the host may create Unix sockets in its temporary folder (os.tmpdir()).',
              cause: error,
              details: { reason: 'broker' },
            }),
      );
    },
  );
  return () => {
    cancelled = true;
    cancel?.();
    session?.stop();
  };
}

/** The plugin's broker.Dial failed its TLS handshake with the host (it answers that as the call's error). */
function isBrokerTlsFailure(error: unknown): boolean {
  return (
    PluginError.isInstance(error) &&
    error.code === 'ERR_PLUGIN_CALL' &&
    /authentication handshake failed: x509/.test(error.why)
  );
}

/**
 * go-plugin before 1.4.5 (its commit 0d4e9d8, "automtls: fix bidirectional communication") gives
 * its broker no CA to check the host's certificate with, so no host, go-plugin's own included,
 * can serve it brokered connections over AutoMTLS. Said so, rather than blamed on the plugin's code.
 */
function oldGoPluginTls(error: PluginError): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CALL',
    plugin: error.plugin,
    what: error.what,
    why: `The plugin could not dial the host's functions over mutual TLS (${error.why}): plugins built with hashicorp/go-plugin older than 1.4.5 cannot check the host's certificate on a brokered connection.`,
    fix: 'Rebuild the plugin with go-plugin 1.4.5 or later, or load it with autoMTLS: false.',
    cause: error,
    details: { ...(error.details as object), reason: 'broker-tls' },
  });
}
