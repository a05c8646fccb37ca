import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Both cores: the files are independent (temporary folders of their own; Nix locks its store).
    maxWorkers: 2,
    // A worker runs file after file in one module graph: loading the generator once per worker
    // instead of once per file saves a tenth of the suite. Module state outlives a file: state a
    // test file owns lives in the file, shared helpers check theirs (test/workspace.ts).
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
