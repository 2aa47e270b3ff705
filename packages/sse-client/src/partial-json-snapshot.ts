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
    const array = container.items.slice();
    if (child !== undefined) array.push(child);
    return Object.freeze(array);
  }
  const object = { ...container.entries };
  if (child !== undefined) setMember(object, container.key, child);
  return Object.freeze(object);
}
