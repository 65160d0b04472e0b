#!/usr/bin/env node
// Hostile adapter (issue 10 "Verdict integrity"): implements nothing, yet answers every op of
// ADAPTER.md v1 with `{"ok": true, "result": {}}` and a well-formed hello that lists them all
// and claims `deterministic: true`. A conformance run must give it no pass at all: an `ok`
// earns nothing unless its result is checked. Used by test/hostile-adapters.test.ts.
import { serve, write } from './_serve.mjs';

serve('ok-empty', { deterministic: true }, (req) => write({ id: req.id, ok: true, result: {} }));
