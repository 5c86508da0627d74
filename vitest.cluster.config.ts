import { defineConfig } from "vitest/config";

/** `npm run test:cluster`: the chaos test on a 3-node Restate cluster (needs HAProxy and PostgreSQL). */
export default defineConfig({
  test: {
    include: ["test/cluster/**/*.test.ts"],
    setupFiles: ["shared/runtime/polyfill.ts"],
    testTimeout: 300_000,
    hookTimeout: 240_000,
  },
});
