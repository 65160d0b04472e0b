/**
 * What a suite test tells the report about itself beyond its title (harness/run/collect.ts).
 *
 * The naming fields (area, caseId, requirements, and for vector cases file, number and grade)
 * are fixed when the test is declared, in the `meta` option of `describe` or `it`, never while
 * it runs: `bm-conformance run --list` and `--only` name every test after collecting the suite
 * files and before running any of them. The outcome fields are written by the running test.
 */
declare module 'vitest' {
  interface TaskMeta {
    /** Report area, e.g. `authorisation` (default: the first requirement's area). */
    area?: string;
    /** Stable case id (default: a slug of the title). Vector cases: `<file>#<tcId>`. */
    caseId?: string;
    /** Requirement ids (default: every `BM-<AREA>-<NNN>` in the title). */
    requirements?: string[];
    vectorFile?: string;
    tcId?: number;
    vectorResult?: string;
    /** Unit of declared scope (`op <name>`): the report groups and counts tests by it. */
    scope?: string;
    /**
     * Why this test may crash the target (a known remote crash of a real implementation). The
     * harness runs such tests after every other test of the run, one at a time
     * (harness/run/index.ts runSuites), so a crash costs no other test its verdict.
     */
    takesTargetDown?: string;
    // Set while the test runs (a test never sets its own verdict: it passes, fails or throws,
    // and harness/run/collect.ts decides):
    unsupported?: boolean;
    /** The test needs something the target does not declare (an op missing from hello): out of scope. */
    outOfScope?: boolean;
    expected?: unknown;
    actual?: unknown;
    trace?: string[];
  }
}

export {};
