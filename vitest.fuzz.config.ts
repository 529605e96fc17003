// `npm run fuzz`: the property tests of the decoders and the DJI envelope, each property run
// 100,000 times (DOCKSIDE_FUZZ_RUNS) instead of the few hundred `npm test` gives them.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['main/**/*.property.test.ts', 'wire/**/*.property.test.ts'],
    env: { DOCKSIDE_FUZZ_RUNS: '100000' },
    maxWorkers: 2,
    testTimeout: 0,
  },
});
