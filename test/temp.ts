// Temporary folders of the tests: made here, removed by test/setup.ts when their test file is
// done. No test mocks a module: workers share their modules across files (vitest.config.ts), so a
// mock would depend on which file loaded the module first.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Temporary folders made by this test file. */
const made: string[] = [];

/** A fresh temporary folder, removed when the test file is done. */
export function tempDir(prefix = "nixgen-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Remove every temporary folder made so far (read-only folders inside included). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) {
    spawnSync("chmod", ["-R", "u+rwX", dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}
