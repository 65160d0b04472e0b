/**
 * The layer check (issue 14): `npm run lint:layers`, run by .ci/run and by test/layers.test.ts.
 * README.md "Layout" draws the same picture in prose; this file is the rule.
 *
 * Layers, bottom to top. A module may import its own layer and the layers below it, never above:
 *
 *   0 protocol   harness/protocol/ (the BitMaelum library), and the data beside it with its
 *                readers: schemas/index.ts (the JSON Schemas), vectors/index.ts (the published
 *                vectors and their manifest)
 *   1 reference  harness/reference/ (mail server, key resolver, client), harness/adapter/ (the
 *                reference adapter and the adapter client), harness/judge/ (decides a vector case:
 *                it runs the reference adapter as counterparty), harness/confidentiality/ (the
 *                canary scanner and the adapter sandbox of the confidentiality check);
 *                reports/ sits beside them: it imports only layer 0 and every layer above may use it
 *   2 suites     suites/ (suites/_support, suites/requirements, one folder per profile)
 *   3 targets    harness/targets/
 *   4 run        harness/run/, harness/load/, the harness's root modules (cli.ts, image-entry.ts,
 *                expectations.ts, implementations.ts, environment.ts) and bin/
 *
 * Tools sit on top and nothing in the layers imports them: vectors/generate.ts and vectors/gen/
 * (the vector generators), harness/record-verification.ts (records the Go verification of the
 * vectors), bench/, test/, images/, every *.test.ts outside suites/ (a suite file is the suites
 * layer), every testdata/ folder, the vitest configs and the suites' vitest set-up (which opens
 * the builtin target for a developer's plain vitest run). A tool may import any public module of
 * any layer (tests exercise internals on purpose), but not another folder's `_` file.
 */

/** Path regexes of each layer (dependency-cruiser matches them against repo-relative paths). */
const TOOL = [
  // The harness's own tests; a *.test.ts under suites/ is a conformance suite, in the suites layer.
  '^(?!suites/).*\\.test\\.ts$',
  '(^|/)testdata/',
  '(^|/)vitest[^/]*\\.(config|setup)\\.ts$',
  '^vectors/generate\\.ts$',
  '^vectors/gen/',
  '^harness/record-verification\\.ts$',
  '^bench/',
  '^test/',
  '^images/',
];
const LAYERS = {
  protocol: ['^harness/protocol/', '^schemas/', '^vectors/index\\.ts$'],
  reports: ['^reports/'],
  reference: ['^harness/(reference|adapter|judge|confidentiality)/'],
  suites: ['^suites/'],
  targets: ['^harness/targets/'],
  run: ['^harness/(run|load)/', '^harness/[^/]+\\.ts$', '^bin/'],
};
/** What each layer may import besides itself (node_modules and node: builtins aside). */
const MAY_IMPORT = {
  protocol: [],
  reports: ['protocol'],
  reference: ['protocol'],
  suites: ['protocol', 'reports', 'reference'],
  targets: ['protocol', 'reports', 'reference', 'suites'],
  run: ['protocol', 'reports', 'reference', 'suites', 'targets'],
};

/**
 * The one public entry of each folder a layer exposes to the layers above (rule
 * `not-through-public-entry`). The protocol library is the exception: every module of it not
 * starting with `_` is public, as the package `exports` say (`./protocol/*`, `./protocol/_*`
 * null), so a caller imports the sub-path it needs (noble's style, STYLE.md "Modules and names")
 * and does not load the whole library for one function.
 */
const PUBLIC_ENTRIES = [
  '^harness/protocol/[^_/][^/]*\\.ts$',
  '^schemas/index\\.ts$',
  '^vectors/index\\.ts$',
  '^reports/index\\.ts$',
  '^harness/reference/index\\.ts$',
  '^harness/adapter/index\\.ts$',
  '^harness/judge/index\\.ts$',
  '^harness/confidentiality/index\\.ts$',
  '^suites/index\\.ts$',
  '^harness/targets/index\\.ts$',
  '^harness/run/index\\.ts$',
];

/** Everything the layer rules look at: the repository's own modules, not node_modules or builtins. */
const OWN = '^(harness|suites|reports|schemas|vectors|bench|test|images|bin)/';
/**
 * Exceptions, each with its reason. `bm-conformance vectors` is the generator's command: cli.ts,
 * the top of the stack, only dispatches to the tool (a dynamic import, loaded for that command).
 */
const ALLOWED_TOOL_IMPORTS = { run: ['^vectors/generate\\.ts$'] };

const layerRules = Object.entries(LAYERS).map(([layer, paths]) => {
  const allowed = [layer, ...MAY_IMPORT[layer]].flatMap((l) => LAYERS[l]);
  return {
    name: `upward-from-${layer}`,
    comment: `${layer} imports only ${MAY_IMPORT[layer].join(', ') || 'nothing'} besides itself: imports run down the layers, and nothing in the layers imports a tool`,
    severity: 'error',
    from: { path: paths, pathNot: TOOL },
    to: { path: OWN, pathNot: [...allowed, ...(ALLOWED_TOOL_IMPORTS[layer] ?? [])] },
  };
});

/**
 * Above the protocol layer, an import into another layer goes through the public entry of the
 * folder it reaches (PUBLIC_ENTRIES); between folders of one layer it is free.
 */
const entryRules = Object.entries(LAYERS).map(([layer, paths]) => {
  const others = Object.keys(LAYERS).filter((l) => l !== layer).flatMap((l) => LAYERS[l]);
  return {
    name: `not-through-public-entry-from-${layer}`,
    comment: "an import into another layer goes through the index.ts of the folder it reaches (the protocol library: any module not starting with `_`)",
    severity: 'error',
    from: { path: paths, pathNot: TOOL },
    to: { path: others, pathNot: PUBLIC_ENTRIES },
  };
});

/**
 * A `_` file or folder is private to the folder it sits in: only modules inside that folder (at
 * any depth) import it. A test beside a `_` file is in its folder and may import it; a test
 * elsewhere may not. dependency-cruiser substitutes `$n` in `to` with groups of `from`, not of
 * `to`, so the ancestors of the importing module are spelled out, one rule per folder depth.
 */
const SEG = '[^/]+';
/**
 * The harness's own tests: the test files, test/ and the fixture trees in testdata/ folders.
 * suites/_support is open to them too (its plain modules, not its `_` files): the suite helpers'
 * own tests and the fixture suites cannot sit beside the helpers, because every *.test.ts under
 * suites/ is a conformance suite that the harness runs against a target.
 */
const TEST = ['\\.test\\.ts$', '(^|/)testdata/', '^test/'];
const TEST_AHEAD = `(?=.*(?:${TEST.map((p) => p.replace('(^|/)', '(?:^|/)')).join('|')}))`;
const privateRules = [1, 2, 3, 4, 5, 6].flatMap((depth) => {
  // Groups $1..$depth-1: the importing module's folders, outermost ($depth-1) to innermost ($1).
  let from = SEG;
  for (let i = 1; i < depth; i++) from = `(${from})/${SEG}`; // depth 3: ^((a)/b)/c$, $1 = a/b, $2 = a
  const ancestors = Array.from({ length: depth - 1 }, (_, i) => `$${i + 1}`);
  // Allowed: a path whose last `_` segment sits directly in one of those folders (a `_` folder
  // holds plain modules up to two levels down; spelled out, as dependency-cruiser refuses nested
  // quantifiers as unsafe).
  const inside = `^(${ancestors.join('|')})/_[^/]*`;
  const ownPrivate = ancestors.length ? [`${inside}$`, `${inside}/[^_/][^/]*$`, `${inside}/[^_/][^/]*/[^_/][^/]*$`] : [];
  const rule = (name, fromPath, extra = []) => ({
    name: `${name}-${depth}`,
    comment: 'a `_` file or folder is private to its folder: import it from inside that folder only (STYLE.md "Modules and names")',
    severity: 'error',
    from: fromPath,
    to: { path: '(^|/)_[^/]*', pathNot: [...ownPrivate, ...extra, '^node_modules/'] },
  });
  return [
    rule('private-outside-folder', { path: `^${from}$`, pathNot: TEST }),
    rule('private-outside-folder-from-test', { path: `^${TEST_AHEAD}${from}$` }, ['^suites/_support/[^_/][^/]*$']),
  ];
});

module.exports = {
  forbidden: [
    ...privateRules,
    ...layerRules,
    ...entryRules,
    {
      name: 'no-circular',
      comment: 'no import cycle, type-only imports included (tsPreCompilationDeps)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: '^node_modules/' },
    // test/fixtures/layers: the miniature test/layers.test.ts checks the rules on; its violations are planted.
    exclude: { path: ['^node_modules/', '^dist/', '^out/', '^test/fixtures/layers/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
