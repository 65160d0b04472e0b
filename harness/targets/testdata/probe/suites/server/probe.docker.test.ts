// Probe suite for the image target's own tests (harness/targets/image.docker.test.ts): three
// plain requests to the mail server under test, so a broken container shows how the harness
// grades "could not run". Run only through runConformance with `suitesRoot` pointing here; the
// default and docker vitest configs exclude this folder.
import { describe, it } from 'vitest';
import { get } from '../../../../../../suites/_support/http.ts';
import { mustStatus } from '../../../../../../suites/_support/must.ts';
import { suiteTarget } from '../../../../../../suites/_support/target.ts';

describe('server › probe', () => {
  for (const n of [1, 2, 3]) {
    it(`answers GET /probe/${n} with 200`, async () => {
      const t = suiteTarget();
      const res = await get(`${t.serverUrl}/probe/${n}`);
      mustStatus(res, 200);
    });
  }
});
