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
import { CACHE_DIR, readCacheText, writeCacheText } from "./cache-file.ts";
import { generatorDigest } from "./code-digest.ts";

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
  private readonly before = new Map<string, string>();
  private readonly now = new Map<string, string>();
  private changed = false;
  /** Said once per run when the file was there but could not be used. */
  readonly warnings: string[] = [];

  private constructor(
    private readonly path: string,
    private readonly digest: string,
  ) {}

  /** The cache as the previous run left it (empty when disabled, absent or from another generator). */
  static open(path: string = process.env.NIXGEN_PARSE_CACHE ?? PARSE_CACHE): ParseCache {
    const cache = new ParseCache(path, generatorDigest());
    if (process.env.NIXGEN_CACHE === "0") return cache;
    const text = readCacheText(path);
    if (text === undefined) return cache; // none yet
    try {
      const stored = JSON.parse(text) as { generator?: unknown; entries?: unknown };
      if (stored.generator !== cache.digest) return cache; // another generator's
      const entries = stored.entries;
      if (entries === null || typeof entries !== "object" || Array.isArray(entries)) {
        throw new Error("no entries");
      }
      for (const [key, json] of Object.entries(entries)) {
        if (typeof json !== "string") throw new Error("an entry is not text");
        cache.before.set(key, json);
      }
    } catch {
      cache.before.clear();
      cache.changed = true;
      cache.warnings.push(
        `the parse cache ${path} could not be read; ignored, and written again (it is safe to delete)`,
      );
    }
    return cache;
  }

  /** The data of a file with these bytes, as JSON, when an earlier run parsed it cleanly. */
  get(key: string): string | undefined {
    const json = this.before.get(key);
    if (json !== undefined) this.now.set(key, json);
    return json;
  }

  /** Records what a clean parse of these bytes gave. */
  set(key: string, value: unknown): void {
    if (process.env.NIXGEN_CACHE === "0" || !keepsInJson(value)) return;
    this.now.set(key, JSON.stringify(value));
    this.changed = true;
  }

  /** Writes the entries of this run (those of files no longer read are dropped). */
  save(): void {
    if (process.env.NIXGEN_CACHE === "0") return;
    if (!this.changed && this.now.size === this.before.size) return;
    const entries = Object.fromEntries(this.now);
    writeCacheText(this.path, JSON.stringify({ generator: this.digest, entries }));
  }
}
