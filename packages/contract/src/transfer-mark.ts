// An opt-in to hand a byte array's memory over instead of copying it (comlink's `transfer()`,
// piscina's `move()`): on a worker's port a marked Uint8Array's ArrayBuffer is transferred, so
// the bytes cross with no copy at all and the sender's array is detached (its byteLength is 0).
// Nothing is transferred unless asked for: the sender's own buffer may be held elsewhere (docs/
// protocol.md, "Bytes to a worker"). The marks live in one WeakSet per realm, kept on globalThis
// under a registered symbol, because a worker holds two copies of this package (the bootstrap's
// bundled one, which posts, and the plugin's own, whose `transfer()` the plugin calls).

const MARKS = Symbol.for('@x/contract.transfer-marks');

// The array is marked, not its buffer: marking `big.subarray(1)` must not make `big` movable.
// Found once per copy of this module: the port's write path asks for every Uint8Array it posts.
let found: WeakSet<Uint8Array> | undefined;
function marks(): WeakSet<Uint8Array> {
  if (found !== undefined) return found;
  const realm = globalThis as { [MARKS]?: WeakSet<Uint8Array> };
  const set = realm[MARKS] ?? new WeakSet<Uint8Array>();
  if (realm[MARKS] === undefined) {
    Object.defineProperty(realm, MARKS, {
      value: set,
      enumerable: false,
      writable: false,
      configurable: false,
    });
  }
  found = set;
  return set;
}

/**
 * Marks `bytes` to be moved, not copied, the next time it crosses a worker's port: as a call's
 * argument (host side), a method's result or a stream's item (plugin side), or a host function's
 * argument or answer. After that crossing the sender's array is detached (`byteLength` 0) and
 * must not be used again, nor any other view of its buffer. Only an array that spans its whole
 * ArrayBuffer is moved; one that is a part of a larger buffer is copied as if unmarked. In
 * process, go-plugin and in-process isolation the mark changes nothing: the bytes are copied
 * (process) or passed as they are (in-process), and the sender's array stays intact. Returns
 * `bytes` itself. Throws a TypeError for anything but a Uint8Array over an ArrayBuffer.
 */
export function transfer<T extends Uint8Array>(bytes: T): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`transfer() takes a Uint8Array (or Buffer), not ${describe(bytes)}.`);
  }
  if (!(bytes.buffer instanceof ArrayBuffer)) {
    throw new TypeError(
      'transfer() cannot move a Uint8Array over a SharedArrayBuffer: it is shared already.',
    );
  }
  marks().add(bytes);
  return bytes;
}

/** True when `bytes` was marked by transfer() and can be moved whole: it spans its non-empty ArrayBuffer. */
export function movable(bytes: Uint8Array): boolean {
  const { buffer } = bytes;
  return (
    bytes.byteOffset === 0 &&
    bytes.byteLength === buffer.byteLength &&
    bytes.byteLength > 0 &&
    marks().has(bytes)
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `a ${typeof value}`;
  return `a ${Object.getPrototypeOf(value)?.constructor?.name ?? 'null-prototype object'}`;
}
