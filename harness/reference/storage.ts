/**
 * Storage for the reference mail server and key resolver: namespaced keys → bytes, with an
 * atomic multi-key commit. Two implementations behind one interface:
 *
 * - {@link memoryStorage}: a Map, for tests.
 * - `openDurableStorage` (durable-storage.ts): a log in a data directory (storage-log.ts),
 *   crash-safe. What a call has acknowledged (its promise resolved) survives a kill at any
 *   moment and a restart; a {@link Storage.commit} of several keys is found after a crash
 *   either whole or not at all.
 *
 * Model. A namespace is `[a-z0-9][a-z0-9_-]*` (e.g. `accounts`, `messages`, `tickets`). A key is
 * any non-empty string up to 200 bytes (UTF-8); use `/` to build hierarchies
 * (`<account>/box/1/<msgid>`) and {@link Storage.list} with a prefix to walk them. Values are
 * bytes; the caller owns the encoding (`goMarshalBytes` for JSON).
 *
 * @example
 * ```ts
 * const st = await openDurableStorage('/var/tmp/bm-ref');       // or memoryStorage()
 * await st.put('accounts', hash, goMarshalBytes(account));
 * await st.commit([
 *   { op: 'put', ns: 'messages', key: `${id}/header`, value: headerBytes },
 *   { op: 'put', ns: 'messages', key: `${id}/catalog`, value: catalogBytes },
 *   { op: 'delete', ns: 'tickets', key: id },
 * ]);
 * const ids = await st.list('messages', `${id}/`);             // sorted keys with that prefix
 * await st.close();
 * ```
 * @module
 */
export type StorageOp =
  | { op: 'put'; ns: string; key: string; value: Uint8Array }
  | { op: 'delete'; ns: string; key: string };

export interface Storage {
  /** The value, or `undefined` if absent. */
  get(ns: string, key: string): Promise<Uint8Array | undefined>;
  has(ns: string, key: string): Promise<boolean>;
  /** Create or replace; durable when resolved. */
  put(ns: string, key: string, value: Uint8Array): Promise<void>;
  /** Remove; resolves `true` if the key existed. */
  delete(ns: string, key: string): Promise<boolean>;
  /** Keys of `ns` starting with `prefix` (default all), sorted by UTF-16 code unit order. */
  list(ns: string, prefix?: string): Promise<string[]>;
  /** Apply all ops atomically (all or none after a crash), in order; durable when resolved. */
  commit(ops: readonly StorageOp[]): Promise<void>;
  close(): Promise<void>;
}

export const NS_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_KEY_BYTES = 200;

export function checkNs(ns: unknown): asserts ns is string {
  if (typeof ns !== 'string' || !NS_RE.test(ns)) throw new RangeError(`storage: namespace: expected [a-z0-9][a-z0-9_-]*, got ${JSON.stringify(ns)}`);
}
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new RangeError(`storage: key: expected non-empty string, got ${JSON.stringify(key)}`);
  const n = Buffer.byteLength(key, 'utf8');
  if (n > MAX_KEY_BYTES) throw new RangeError(`storage: key: expected at most ${MAX_KEY_BYTES} bytes, got ${n}`);
  if (!(key as unknown as { isWellFormed(): boolean }).isWellFormed()) throw new RangeError('storage: key: lone surrogate');
}
export function checkValue(v: unknown): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError('storage: value: expected Uint8Array');
}
export function checkOps(ops: readonly StorageOp[]): void {
  if (!Array.isArray(ops)) throw new TypeError('storage: commit: expected an array of ops');
  for (const o of ops) {
    checkNs(o.ns);
    checkKey(o.key);
    if (o.op === 'put') checkValue(o.value);
    else if (o.op !== 'delete') throw new RangeError(`storage: commit: unknown op ${JSON.stringify((o as { op: unknown }).op)}`);
  }
}

/**
 * The reads of a storage that keeps every value in memory (both storages below: the durable one
 * serves reads from memory and writes through to its log). Values are copied out, so a caller
 * cannot change what is stored.
 */
export function mapReader(data: ReadonlyMap<string, ReadonlyMap<string, Uint8Array>>): Pick<Storage, 'get' | 'has' | 'list'> {
  return {
    async get(ns, key) {
      checkNs(ns); checkKey(key);
      const v = data.get(ns)?.get(key);
      return v && new Uint8Array(v);
    },
    async has(ns, key) {
      checkNs(ns); checkKey(key);
      return data.get(ns)?.has(key) ?? false;
    },
    async list(ns, prefix = '') {
      checkNs(ns);
      return [...(data.get(ns)?.keys() ?? [])].filter((k) => k.startsWith(prefix)).sort();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// In memory

/** Non-durable storage for tests. Values are copied in and out. */
export function memoryStorage(): Storage {
  const data = new Map<string, Map<string, Uint8Array>>();
  const nsMap = (ns: string) => {
    let m = data.get(ns);
    if (!m) data.set(ns, (m = new Map()));
    return m;
  };
  return {
    ...mapReader(data),
    async put(ns, key, value) {
      checkNs(ns); checkKey(key); checkValue(value);
      nsMap(ns).set(key, new Uint8Array(value));
    },
    async delete(ns, key) {
      checkNs(ns); checkKey(key);
      return data.get(ns)?.delete(key) ?? false;
    },
    async commit(ops) {
      checkOps(ops);
      for (const o of ops) {
        if (o.op === 'put') nsMap(o.ns).set(o.key, new Uint8Array(o.value));
        else data.get(o.ns)?.delete(o.key);
      }
    },
    async close() { /* nothing to release */ },
  };
}
