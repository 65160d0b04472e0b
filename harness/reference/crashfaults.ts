/**
 * Crash defects of the reference mail server, for proving the durability profile can fail
 * (issue 12 item 4). Set with the serve config key `storageFaults` (harness/reference/serve.ts);
 * never on by default, and no conformance test of a single request can see them: only a kill
 * and a restart can.
 *
 * - `acknowledgeBeforeSync`: the durable storage acknowledges a write before it is on disk
 *   (harness/reference/durable-storage.ts `StorageFaults`, passed through);
 * - `dropLastBlockOnRestart`: on every start on an existing data directory, one block of a
 *   delivered message is deleted before the server opens its storage, as a recovery that
 *   truncates the last file it wrote would. The block with the greatest key stands for the last
 *   one written (keys carry no time, and any delivered message losing a block is the defect).
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDurableStorage } from './durable-storage.ts';

export interface CrashFaults {
  acknowledgeBeforeSync: boolean;
  dropLastBlockOnRestart: boolean;
}

export const CRASH_FAULT_NAMES: readonly (keyof CrashFaults)[] = ['acknowledgeBeforeSync', 'dropLastBlockOnRestart'];

/** Namespace of delivered messages in the mail server's storage (mailserver/repo.ts `msg/<hash>/<id>/blk/<id>`). */
const MESSAGES_NS = 'msg';

/**
 * Delete the block with the greatest key among delivered messages in `mailDir` (the mail
 * server's data directory); returns its key, or undefined when there is none.
 */
export async function dropLastBlock(mailDir: string): Promise<string | undefined> {
  if (!existsSync(mailDir)) return undefined;
  const st = await openDurableStorage(mailDir);
  try {
    const blocks = (await st.list(MESSAGES_NS)).filter((k) => k.includes('/blk/'));
    const last = blocks.at(-1);
    if (last !== undefined) await st.delete(MESSAGES_NS, last);
    return last;
  } finally {
    await st.close();
  }
}

/** The mail server's data directory under a reference data directory (start.ts `startReference`). */
export const mailDirOf = (dataDir: string) => join(dataDir, 'mail');
