// The partial-JSON parser's tree: the arrays and objects still open, and their frozen snapshots.
// Internal: not exported from the package.

/** An array or object still open, with its completed members and its cached snapshot. */
export interface Container {
  readonly isArray: boolean;
  /** The completed elements of an array (their final values, frozen). */
  readonly items: unknown[];
  /** The completed members of an object (their final values, frozen). */
  readonly entries: Record<string, unknown>;
  /** The key of the member being read (objects). */
  key: string;
  /** The frozen snapshot last built, or `undefined` when something below changed since. */
  snapshot: object | undefined;
}

/** Sets an own data property, also for the key `"__proto__"` (as `JSON.parse` does). */
export function setMember(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/** A frozen copy of the container's completed members plus `child` (the open member) if any. */
export function buildSnapshot(container: Container, child: unknown): object {
  if (container.isArray) {
    // `concat` allocates the copy at its final size in one go (faster than slice + push).
    return Object.freeze(child === undefined ? container.items.slice() : container.items.concat([child]));
  }
  // A copy member by member: V8 makes `{ ...entries }` plus one more property about 40 times slower.
  const { entries } = container;
  const object: Record<string, unknown> = {};
  const keys = Object.keys(entries);
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index]!;
    setMember(object, key, entries[key]);
  }
  if (child !== undefined) setMember(object, container.key, child);
  return Object.freeze(object);
}
