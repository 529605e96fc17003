#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx dockside` works right after `npm install`, no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
