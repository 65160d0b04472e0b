/**
 * The storage view the mail server's {@link Repo} needs: named byte blobs with prefix listing,
 * keys written `<namespace>/<rest>`. It is a thin adapter over harness/reference/storage.ts
 * ({@link Storage}: memory or durable, atomic puts), mapping the first key segment to the
 * storage namespace. Keys are built only from validated parts (see repo.ts).
 * @module
 */
import type { Storage } from '../storage.ts';

export interface BlobStore {
  get(key: string): Promise<Uint8Array | undefined>;
  /** Replace the blob atomically (a reader sees the old or the new bytes, never a mix). */
  put(key: string, value: Uint8Array): Promise<void>;
  /** Remove; no error if absent. */
  delete(key: string): Promise<void>;
  /** Every key starting with `prefix` (which must include the namespace segment), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Apply puts/deletes all-or-nothing (durable storage journals them). */
  commit(ops: ({ op: 'put'; key: string; value: Uint8Array } | { op: 'delete'; key: string })[]): Promise<void>;
}

function split(key: string): [string, string] {
  const i = key.indexOf('/');
  if (i <= 0 || i === key.length - 1) throw new RangeError(`blob key needs a namespace and a name: ${key}`);
  return [key.slice(0, i), key.slice(i + 1)];
}

export function blobStoreOver(st: Storage): BlobStore {
  return {
    get: (k) => {
      const [ns, rest] = split(k);
      return st.get(ns, rest);
    },
    put: (k, v) => {
      const [ns, rest] = split(k);
      return st.put(ns, rest, v);
    },
    delete: async (k) => {
      const [ns, rest] = split(k);
      await st.delete(ns, rest);
    },
    list: async (p) => {
      const i = p.indexOf('/');
      const ns = p.slice(0, i);
      return (await st.list(ns, p.slice(i + 1))).map((k) => `${ns}/${k}`);
    },
    commit: (ops) =>
      st.commit(
        ops.map((o) => {
          const [ns, key] = split(o.key);
          return o.op === 'put' ? { op: 'put' as const, ns, key, value: o.value } : { op: 'delete' as const, ns, key };
        }),
      ),
  };
}
