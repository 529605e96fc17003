// Dockside's layer rules, checked by `npm run layers`; scripts/layer-rules.test.ts plants a violation of
// each one to show it bites. Paths are relative to the repository root (or the cruise's baseDir).

// Tests and their helpers may reach across layers to drive the real thing; the layer rules bind product code.
const NOT_PRODUCT = ['\\.(test|spec)\\.tsx?$', '(^|/)testing/', '^test-support/', '^e2e/'];

// Packages that only run in Node, and the build and test tools: none of them belongs in a browser page.
const NODE_ONLY_PACKAGES = [
  'aedes',
  'bson',
  'csv-parse',
  'csv-stringify',
  'electron-builder',
  'esbuild',
  'mqtt',
  'pino',
  'rotating-file-stream',
  'selfsigned',
  'tsx',
  'vite',
  'ws',
  '@playwright/test',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'renderer-not-to-main',
      comment: 'The renderer is a browser page; it reaches the core only through the preload contract (preload/api.ts), so the same page serves Electron and the web host.',
      severity: 'error',
      from: { path: '^renderer/', pathNot: NOT_PRODUCT },
      to: { path: '^main/' },
    },
    {
      name: 'renderer-not-to-sim',
      comment: 'The simulators are Node programs that stand in for docks and vehicles; the page only sees what the core reports of them.',
      severity: 'error',
      from: { path: '^renderer/', pathNot: NOT_PRODUCT },
      to: { path: '^sim/' },
    },
    {
      name: 'renderer-not-to-node',
      comment: 'The renderer runs sandboxed in a browser page, where no Node core module exists.',
      severity: 'error',
      from: { path: '^renderer/', pathNot: NOT_PRODUCT },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-not-to-node-packages',
      comment: 'Brokers, loggers, file writers and build tools only run in Node; in the page they would fail or bloat the bundle.',
      severity: 'error',
      from: { path: '^renderer/', pathNot: NOT_PRODUCT },
      to: { path: `(^|/)node_modules/(${NODE_ONLY_PACKAGES.join('|')})/` },
    },
    {
      name: 'main-not-to-renderer',
      comment: 'The core is plain Node that also runs headless (web host, CLI); it serves the built page by path and never imports its source.',
      severity: 'error',
      from: { path: '^main/', pathNot: NOT_PRODUCT },
      to: { path: '^renderer/' },
    },
    {
      name: 'electron-only-in-glue',
      comment: 'Only the Electron entry points (main/index.ts, preload/index.ts) and the glue in main/electron/ may touch Electron, so the core runs under plain Node as the web host and the CLI.',
      severity: 'error',
      from: { pathNot: [...NOT_PRODUCT, '^main/index\\.ts$', '^main/electron/', '^preload/index\\.ts$'] },
      to: { path: ['(^|/)node_modules/electron/', '^electron$'] },
    },
    {
      name: 'preload-not-to-main-or-renderer',
      comment: 'The preload is the contract between the two sides (preload/api.ts) and the bridge; both sides import it, so it imports neither.',
      severity: 'error',
      from: { path: '^preload/', pathNot: NOT_PRODUCT },
      to: { path: '^(main|renderer)/' },
    },
    {
      name: 'wire-is-shared',
      comment: 'wire/ holds the protocol code the core and the simulators share; it depends on neither side, nor on the app contract.',
      severity: 'error',
      from: { path: '^wire/', pathNot: NOT_PRODUCT },
      to: { path: '^(main|renderer|preload|sim)/' },
    },
    {
      name: 'core-not-to-sim',
      comment: 'The core talks to real docks and vehicles; only demo mode and the CLI sim commands start the simulators, so a simulator never slips into a real upgrade path.',
      severity: 'error',
      from: {
        path: '^main/',
        pathNot: [...NOT_PRODUCT, '^main/app/demo-mode\\.ts$', '^main/cli/sim-(dock|vehicle)-command\\.ts$'],
      },
      to: { path: '^sim/' },
    },
    {
      name: 'sim-not-to-main',
      comment: 'The simulators stand in for real devices and share only wire/ with the core, so they cannot lean on what the core gets wrong.',
      severity: 'error',
      from: { path: '^sim/', pathNot: NOT_PRODUCT },
      to: { path: '^main/' },
    },
    {
      name: 'app-not-to-cli',
      comment: 'The CLI is one front end of the app core; the core raises its own errors (main/app/user-errors.ts) and never leans on a front end.',
      severity: 'error',
      from: { path: '^main/app/', pathNot: NOT_PRODUCT },
      to: { path: '^main/cli/' },
    },
    {
      name: 'no-test-helpers-in-product',
      comment: 'Test files and test helpers are not shipped or bundled; only the benchmarks may use the shared test-support/ (brokers, payloads).',
      severity: 'error',
      from: { pathNot: [...NOT_PRODUCT, '^bench/'] },
      to: { path: NOT_PRODUCT },
    },
    {
      name: 'bench-only-test-support',
      comment: "The benchmarks may start brokers and build payloads with test-support/, but never lean on a test file or a room's private testing/ helpers.",
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: NOT_PRODUCT, pathNot: '^test-support/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle of runtime imports makes load order matter and the rooms inseparable; type-only cycles vanish at build time and are allowed.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve fails at run time; electron is an optional dependency, absent where its binary cannot be downloaded.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^electron$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules is not excluded but left unfollowed: an exclusion would hide the imports of packages from the rules.
    exclude: { path: '(^|/)dist/' },
    // main/index.ts and preload/index.ts take electron with require(), so CommonJS calls count as imports.
    moduleSystems: ['es6', 'cjs'],
    // Type-only imports are dependencies of the layers too; no-circular tells them apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Several packages (aedes, vite, tsx/esm/api) have no main field and resolve only through their exports.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      mainFields: ['module', 'main'],
    },
  },
};
