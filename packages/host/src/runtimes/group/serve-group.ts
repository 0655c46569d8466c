import {
  RPC_ERRORS,
  type RpcEndpoint,
  RpcError,
  type RpcId,
  type ServeOptions,
  servePluginOver,
  WIRE_METHODS,
  type WireConnection,
} from '@x/contract/wire';
import { GROUP_METHODS, memberMethod } from './group-methods.js';

// The plugin side of an isolation group (docs/protocol.md, "Groups"), run by the host's bootstrap
// when the host starts it in group mode: it imports each member the host sends (`x/group/load`)
// and serves it with the unchanged servePluginOver() over the member's own view of the channel.

interface Member {
  alive: boolean;
  cancelled: ((id: RpcId) => void) | undefined;
}

export interface GroupServeOptions {
  readonly offered: readonly number[];
  /** Imports a member's entry; `fresh` asks for a new copy of a module imported before (a member that comes back). */
  readonly importEntry: (entry: string, fresh: number) => Promise<Record<string, unknown>>;
  readonly health?: ServeOptions['health'];
  readonly scope?: () => ReturnType<NonNullable<ServeOptions['scope']>>;
}

const invalid = (why: string) => new RpcError(RPC_ERRORS.invalidParams, why);

/** One member's connection: every method name scoped to it, and silent once it is unloaded. */
function memberConnection(endpoint: RpcEndpoint, id: number, member: Member): WireConnection {
  const gone = () => new RpcError(RPC_ERRORS.methodNotFound, `Member ${id} of this group is unloaded.`);
  return {
    onRequest: (method, handler) =>
      endpoint.onRequest(memberMethod(method, id), (params, rid) => {
        if (!member.alive) throw gone();
        return handler(params, rid);
      }),
    onNotification: (method, handler) =>
      endpoint.onNotification(memberMethod(method, id), (params) => {
        if (member.alive) handler(params);
      }),
    notify: (method, params) => {
      if (member.alive) endpoint.notify(memberMethod(method, id), params);
    },
    request: (method, params) => endpoint.request(memberMethod(method, id), params),
    cancel: (rid) => endpoint.cancel(rid),
    onCancelled: (listener) => {
      member.cancelled = listener;
    },
  };
}

/** Serves a group over the bootstrap's endpoint: members come and go as the host says. */
export function serveGroup(endpoint: RpcEndpoint, options: GroupServeOptions): void {
  const members = new Map<number, Member>();
  const imported = new Map<string, number>();
  endpoint.onCancelled((id) => {
    for (const member of members.values()) member.cancelled?.(id);
  });
  endpoint.onRequest(GROUP_METHODS.load, async (params) => {
    const { member: id, entry, export: exportName } = (params ?? {}) as Record<string, unknown>;
    if (!Number.isSafeInteger(id) || (id as number) < 0)
      throw invalid('x/group/load needs a member id (an integer ≥ 0).');
    if (typeof entry !== 'string' || typeof exportName !== 'string')
      throw invalid('x/group/load needs {member, entry, export}.');
    if (members.has(id as number)) throw invalid(`Member ${id} is loaded already.`);
    const member: Member = { alive: true, cancelled: undefined };
    members.set(id as number, member);
    const times = imported.get(entry) ?? 0;
    imported.set(entry, times + 1);
    await servePluginOver(memberConnection(endpoint, id as number, member), {
      offered: options.offered,
      exportName,
      load: () => options.importEntry(entry, times),
      health: options.health,
      scope: options.scope,
    });
    return null;
  });
  endpoint.onRequest(GROUP_METHODS.unload, (params) => {
    const id = (params as { member?: unknown } | null)?.member;
    const member = typeof id === 'number' ? members.get(id) : undefined;
    if (member === undefined) throw invalid(`No member ${String(id)} is loaded.`);
    // Its module stays in this isolate's module cache (Node cannot unload one); nothing reaches it any more.
    member.alive = false;
    members.delete(id as number);
    return null;
  });
  // Version 3 when the offer let the bootstrap choose it (its compact envelope), else 2: the members'
  // calls then travel in the same envelope as one plugin's would.
  const protocolVersion = endpoint.envelope === 'compact' ? 3 : 2;
  endpoint.notify(WIRE_METHODS.handshake, { protocolVersion, versions: [2, 3], group: true });
}
