// The files of the generator's caches, beside its code in node_modules/.cache/nixgen/ (gitignored,
// safe to delete): read as text, and written whole or not at all, so that runs side by side never
// see half a file. A cache only spares work: one that cannot be read or written makes a run
// slower, never different.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatorDigest } from "./code-digest.ts";

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

/** NIXGEN_CACHE=0 turns every cache off: nothing is read or written. */
export const cachesOff = (): boolean => process.env.NIXGEN_CACHE === "0";

/** A cache of entries by key, as a file of this generator holds them. */
export interface KeyedEntries<V> {
  readonly entries: Map<string, V>;
  /** The file was there but could not be read as such a cache: said once, and written again. */
  readonly warnings: readonly string[];
}

/**
 * The entries of a cache file (`{ generator, entries }`), keyed by the generator's digest so that a
 * changed generator never reads what an older one wrote: none when the caches are off, when there
 * is no file or another generator wrote it; none and a warning when it is not such a file, or an
 * entry is not what `isEntry` accepts.
 */
export function readKeyedCache<V>(
  path: string,
  name: string,
  isEntry: (value: unknown) => value is V,
): KeyedEntries<V> {
  const entries = new Map<string, V>();
  const text = cachesOff() ? undefined : readCacheText(path);
  if (text === undefined) return { entries, warnings: [] };
  try {
    const stored = JSON.parse(text) as { generator?: unknown; entries?: unknown };
    if (stored.generator !== generatorDigest()) return { entries, warnings: [] };
    const found = stored.entries;
    if (found === null || typeof found !== "object" || Array.isArray(found)) {
      throw new Error("no entries");
    }
    for (const [key, value] of Object.entries(found)) {
      if (!isEntry(value)) throw new Error("an entry is not one of this cache");
      entries.set(key, value);
    }
    return { entries, warnings: [] };
  } catch {
    entries.clear();
    const warning = `the ${name} ${path} could not be read; ignored, and written again (it is safe to delete)`;
    return { entries, warnings: [warning] };
  }
}

/** Writes the entries of a cache file, under this generator's digest (not when caches are off). */
export function writeKeyedCache(path: string, entries: ReadonlyMap<string, unknown>): void {
  if (cachesOff()) return;
  const stored = { generator: generatorDigest(), entries: Object.fromEntries(entries) };
  writeCacheText(path, JSON.stringify(stored));
}
