/**
 * Files replaced atomically and durably (temp file, fsync, rename, fsync of the directory): after
 * a crash a file holds its old or its new content, never a mix. Used for the durable storage's
 * LOCK and snapshots (durable-storage.ts) and for single config-like files (identity.ts).
 * @module
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Make the directory entries of `dir` (a rename, a removal) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const h = await fs.open(dir, fsConstants.O_RDONLY);
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Write `data` to `dir/name` atomically and durably. */
export async function atomicWrite(dir: string, name: string, data: Uint8Array, mode = 0o600): Promise<void> {
  const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  const h = await fs.open(tmp, 'wx', mode);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
  await fs.rename(tmp, join(dir, name));
  await fsyncDir(dir);
}

/**
 * Replace the file at `path` atomically and durably (temp file, fsync, rename, fsync dir): after
 * a crash it holds the old or the new content, never a mix. For single config-like files.
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await atomicWrite(dirname(path), basename(path), typeof data === 'string' ? Buffer.from(data, 'utf8') : data, mode);
}
