// The files of the generator's caches, beside its code in node_modules/.cache/nixgen/ (gitignored,
// safe to delete): read as text, and written whole or not at all, so that runs side by side never
// see half a file. A cache only spares work: one that cannot be read or written makes a run
// slower, never different.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const CACHE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "../node_modules/.cache/nixgen",
);

/** The text of a cache file, or undefined when there is none (or it cannot be read). */
export function readCacheText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Writes a cache file through a temporary one and a rename; failures are ignored. */
export function writeCacheText(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch {
    // A read-only install, or a file where a folder of the path should be: only the next run is
    // slower. The temporary file may not exist, nor be removable.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing was written there
    }
  }
}
