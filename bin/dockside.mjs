#!/usr/bin/env node
// `dockside`: runs the CLI from its JavaScript bundle (dist/cli, built by `npm install`), which starts in
// a tenth of a second. The bundle runs only while it is as new as every source it was built from; after
// an edit it is rebuilt first (half a second, once). Where it cannot be built, and with DOCKSIDE_CLI=tsx,
// the TypeScript runs through tsx: slower to start, never stale. DOCKSIDE_CLI_TRACE=1 says which ran.
import { freshCliEntry } from '../scripts/cli-bundle.mjs';

const trace = process.env.DOCKSIDE_CLI_TRACE ? (line) => process.stderr.write(`dockside-cli: ${line}\n`) : undefined;
const entry = process.env.DOCKSIDE_CLI === 'tsx' ? undefined : await freshCliEntry(trace);

let main;
if (entry) {
  if (process.env.DOCKSIDE_DEBUG) process.setSourceMapsEnabled(true);
  ({ main } = await import(entry));
} else {
  trace?.('running the TypeScript through tsx');
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../main/cli/index.ts'));
}
process.exitCode = await main(process.argv.slice(2));
