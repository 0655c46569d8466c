import { describeValue } from './option-error.js';

type Fail = (option: string, why: string, fix: string, value: unknown) => never;

/** A group name: printable, short, and safe to put in a thread name and a log line. */
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/;

/**
 * The scale options (`group`, `lazy`; `idleTimeout` is a timeout, checked with the others):
 * returns the group name. A group member must be able to share its isolate, so what the Node
 * permission model grants per process (`permissions`) and a custom `server` script are refused
 * with it, here, before anything is read.
 */
export function checkScale(o: Record<string, unknown>, fail: Fail): string | undefined {
  if (o.lazy !== undefined && typeof o.lazy !== 'boolean') {
    fail(
      'lazy',
      `must be true or false, not ${describeValue(o.lazy)}`,
      'Pass lazy: true, or leave it out.',
      o.lazy,
    );
  }
  const group = o.group;
  if (group === undefined) return undefined;
  if (typeof group !== 'string' || !GROUP_NAME.test(group)) {
    fail(
      'group',
      `must be a name of 1 to 100 letters, digits and . _ : @ / - (starting with a letter or digit), not ${describeValue(group)}`,
      'Pass a short name such as "editor-tools"; plugins loaded with the same name share one worker or process.',
      group,
    );
  }
  if (o.permissions !== undefined && o.permissions !== false) {
    fail(
      'permissions',
      "a group's members share one process, and Node's permission model grants per process: each member could read what the others may",
      'Load a confined plugin without "group" (it gets a process of its own), or drop "permissions".',
      o.permissions,
    );
  }
  if (o.server !== undefined) {
    fail(
      'server',
      "a group is served by the host's own bootstrap, which loads every member; a plugin's own server script serves one plugin",
      'Load the plugin without "group" to use its server script, or drop "server".',
      o.server,
    );
  }
  return group as string;
}
