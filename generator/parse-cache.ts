// The data of descriptors parsed in an earlier run, by the hash of their bytes, so that a run
// parses only the files that changed: YAML parsing is most of a run over a large set. Only files
// that parsed without a problem are kept; their YAML document (for the positions of diagnostics)
// is parsed again from the text if a later stage asks for it.
//
// The cache is node_modules/.cache/nixgen/parse.json beside the generator (gitignored, safe to
// delete). It is keyed by a digest of the generator's own code and of the YAML library's version,
// so a changed generator never reads what an older one wrote. NIXGEN_CACHE=0 turns it off;
// NIXGEN_PARSE_CACHE names another file. A file that cannot be read as a
// cache is ignored with a warning and replaced; one that cannot be written is left as it is.

import { createHash } from "node:crypto";
import { join } from "node:path";
import { CACHE_DIR, cachesOff, readKeyedCache, writeKeyedCache } from "./cache-file.ts";

export const PARSE_CACHE = join(CACHE_DIR, "parse.json");

export const bytesKey = (bytes: Uint8Array): string =>
  createHash("sha256").update(bytes).digest("base64");

/** A data value JSON keeps exactly (no -0, which JSON writes as 0). */
function keepsInJson(value: unknown): boolean {
  if (typeof value === "number") return !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(keepsInJson);
  if (value !== null && typeof value === "object") return Object.values(value).every(keepsInJson);
  return true;
}

export class ParseCache {
  private readonly now = new Map<string, string>();
  private changed: boolean;

  private constructor(
    private readonly path: string,
    private readonly before: ReadonlyMap<string, string>,
    /** Said once per run when the file was there but could not be used. */
    readonly warnings: readonly string[],
  ) {
    this.changed = warnings.length > 0;
  }

  /** The cache as the previous run left it (empty when disabled, absent or from another generator). */
  static open(path: string = process.env.NIXGEN_PARSE_CACHE ?? PARSE_CACHE): ParseCache {
    const isJson = (value: unknown): value is string => typeof value === "string";
    const { entries, warnings } = readKeyedCache(path, "parse cache", isJson);
    return new ParseCache(path, entries, warnings);
  }

  /** The data of a file with these bytes, as JSON, when an earlier run parsed it cleanly. */
  get(key: string): string | undefined {
    const json = this.before.get(key);
    if (json !== undefined) this.now.set(key, json);
    return json;
  }

  /** Records what a clean parse of these bytes gave. */
  set(key: string, value: unknown): void {
    if (cachesOff() || !keepsInJson(value)) return;
    this.now.set(key, JSON.stringify(value));
    this.changed = true;
  }

  /** Writes the entries of this run (those of files no longer read are dropped). */
  save(): void {
    if (!this.changed && this.now.size === this.before.size) return;
    writeKeyedCache(this.path, this.now);
  }
}
