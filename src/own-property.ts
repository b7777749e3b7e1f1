/**
 * Sets `target[key] = value` as an own, enumerable property, also when `key`
 * is "__proto__": plain assignment of that key sets the object's prototype
 * instead, and the entry is lost. Every copy of a map whose keys a client
 * chooses (attribute names, message attribute names, tag keys) goes through
 * it; JSON.parse already makes "__proto__" an own key.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** `target[key]` if it is an own property, else undefined: `item["__proto__"]` is Object.prototype when the item has no such attribute. */
export function ownValue<T>(target: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}
