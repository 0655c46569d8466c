// Isolation groups on the wire (docs/protocol.md, "Groups"): one worker or process, served by the
// host's bootstrap in group mode, holds several plugins. The group speaks protocol version 2 with
// one addition: every message of a member carries the member's id after a `#` in its method name
// (`x/call#3`, `x/handshake#3`, `x/host#3`), so that each member runs the unchanged protocol over
// its own view of the one channel; ids and `$/cancelRequest` stay those of the shared channel.

/** Requests of the host to a group's bootstrap, unscoped. */
export const GROUP_METHODS = Object.freeze({
  /** `{ member, entry, export }`: import one more plugin and serve it as `member` (it then handshakes as `x/handshake#member`). */
  load: 'x/group/load',
  /** `{ member }`: stop routing to `member` (its dispose hooks ran already, by `x/dispose#member`). */
  unload: 'x/group/unload',
});

/** The offer variable that starts the bootstrap in group mode (no entry of its own). */
export const GROUP_OFFER_KEY = 'X_PLUGIN_GROUP';

/** A member's name for a protocol method. */
export const memberMethod = (method: string, member: number): string => `${method}#${member}`;
