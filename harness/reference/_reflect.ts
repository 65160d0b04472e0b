/**
 * Minimal `Reflect` metadata polyfill (the part of the reflect-metadata API that tsyringe, a
 * dependency of @peculiar/x509, calls: defineMetadata, getMetadata, getOwnMetadata,
 * hasMetadata, metadata). @peculiar/x509 refuses to load without one and no polyfill package
 * is installed; import this module before '@peculiar/x509'. Installs nothing if a full
 * polyfill is already present.
 * @module
 */
type Key = unknown;
type Store = Map<string | symbol | undefined, Map<Key, unknown>>;

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== 'function') {
  const stores = new WeakMap<object, Store>();
  const own = (target: object, prop: string | symbol | undefined, create: boolean): Map<Key, unknown> | undefined => {
    let s = stores.get(target);
    if (!s) {
      if (!create) return undefined;
      stores.set(target, (s = new Map()));
    }
    let m = s.get(prop);
    if (!m && create) s.set(prop, (m = new Map()));
    return m;
  };
  const getOwn = (key: Key, target: object, prop?: string | symbol) => own(target, prop, false)?.get(key);
  const get = (key: Key, target: object, prop?: string | symbol): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const m = own(t, prop, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  const define = (key: Key, value: unknown, target: object, prop?: string | symbol) => {
    own(target, prop, true)!.set(key, value);
  };
  Object.assign(Reflect, {
    defineMetadata: define,
    getOwnMetadata: getOwn,
    getMetadata: get,
    hasOwnMetadata: (key: Key, target: object, prop?: string | symbol) => own(target, prop, false)?.has(key) ?? false,
    hasMetadata: (key: Key, target: object, prop?: string | symbol) => get(key, target, prop) !== undefined,
    metadata: (key: Key, value: unknown) => (target: object, prop?: string | symbol) => define(key, value, target, prop),
  });
}
export {};
