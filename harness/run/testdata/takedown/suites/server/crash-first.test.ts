// Fixture suite for harness/run/takedown.test.ts: the test that "takes the target down" comes
// first in its file, so a harness that ran it in file order would make every later test fail.
// Each test appends its title to $BM_TAKEDOWN_LOG; the crash also writes $BM_TAKEDOWN_LOG.down.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { describe, it } from 'vitest';

const log = process.env.BM_TAKEDOWN_LOG!;
const alive = (title: string) => {
  if (existsSync(`${log}.down`)) throw new Error(`${title} ran after the target went down`);
  appendFileSync(log, `${title}\n`);
};

describe('server › takedown', () => {
  it('crashes the target', { meta: { takesTargetDown: 'fixture: marks the target down' } }, () => {
    alive('crashes the target');
    writeFileSync(`${log}.down`, '');
  });
  it('runs before the crash in the same file', () => alive('runs before the crash in the same file'));
});
