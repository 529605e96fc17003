// What Electron gives a sandboxed preload, as far as preload/index.ts uses it: a `process` that names
// the kind of process, and a require() that loads 'electron' (and a few modules this preload does not
// need). Declared here instead of loading the Node types, which would offer modules it cannot load.
declare const process: { readonly type: string };
declare function require(id: 'electron'): unknown;
