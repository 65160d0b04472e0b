#!/usr/bin/env node
// Hostile adapter (issue 10 "Verdict integrity"): its hello lists every op, then it answers
// every request `unsupported`. Declaring everything out of reach must not read as conformance:
// no pass, no requirement met, and a run that fails (exit 1) unless an expectations file names it.
import { serve, write } from './_serve.mjs';

serve('unsupported-to-everything', {}, (req) => write({ id: req.id, unsupported: true, reason: 'not implemented' }));
