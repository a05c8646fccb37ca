// The files each emit unit printed in earlier runs, by a digest of its kind and input, so that a run
// emits and prints only the units whose input changed: over a large set, emitting and printing
// every file is most of a run after an edit. An entry holds the hash of each file's text, not the
// text: the text is taken from generated/ when the file there has that hash, else the unit is made
// again. A unit's files are a function of its input and of the generator, so an entry can only be
// used for the exact text it was recorded with.
//
// The cache is node_modules/.cache/nixgen/outputs.json (gitignored, safe to delete), keyed by the
// generator's digest like the parse cache; NIXGEN_CACHE=0 turns it off, NIXGEN_OUTPUT_CACHE names
// another file. A file that cannot be read as a cache is ignored with a warning and replaced.

import { createHash } from "node:crypto";
import { join } from "node:path";
import { CACHE_DIR, cachesOff, readKeyedCache, writeKeyedCache } from "./cache-file.ts";

export const OUTPUT_CACHE = join(CACHE_DIR, "outputs.json");

/** A unit's files: each path (relative to generated/) with the hash of its text. */
export type CachedFiles = readonly (readonly [path: string, hash: string])[];

export const textHash = (text: string | Uint8Array): string =>
  createHash("sha256").update(text).digest("base64");

/** Entries of earlier runs kept beside this run's (about 130 bytes each). */
const EARLIER_KEPT = 10_000;

/** A path inside generated/: relative, without empty, `.` or `..` parts. */
const isInside = (path: string): boolean =>
  path.split("/").every((part) => part !== "" && part !== "." && part !== "..");

function isCachedFiles(value: unknown): value is CachedFiles {
  return (
    Array.isArray(value) &&
    value.every(
      (f) =>
        Array.isArray(f) &&
        f.length === 2 &&
        typeof f[0] === "string" &&
        isInside(f[0]) &&
        typeof f[1] === "string",
    )
  );
}

export class OutputCache {
  private readonly now = new Map<string, CachedFiles>();
  private changed: boolean;

  private constructor(
    private readonly path: string,
    private readonly before: ReadonlyMap<string, CachedFiles>,
    /** Said once per run when the file was there but could not be used. */
    readonly warnings: readonly string[],
  ) {
    this.changed = warnings.length > 0;
  }

  /** The cache as the previous run left it (empty when disabled, absent or from another generator). */
  static open(path: string = process.env.NIXGEN_OUTPUT_CACHE ?? OUTPUT_CACHE): OutputCache {
    const { entries, warnings } = readKeyedCache(path, "output cache", isCachedFiles);
    return new OutputCache(path, entries, warnings);
  }

  /** The files a unit with this key printed in an earlier run. */
  get(key: string): CachedFiles | undefined {
    return this.before.get(key);
  }

  /** Records the files of a unit, made or taken from generated/ in this run. */
  set(key: string, files: CachedFiles): void {
    if (cachesOff()) return;
    this.now.set(key, files);
    if (this.before.get(key) !== files) this.changed = true;
  }

  /**
   * Writes the entries of this run first, then earlier ones not used in it, up to EARLIER_KEPT of
   * them: another checkout's or a test's run does not make the next run here print everything.
   */
  save(): void {
    if (!this.changed && this.usedFirst()) return;
    const kept = new Map(this.now);
    for (const [key, files] of this.before) {
      if (kept.size >= this.now.size + EARLIER_KEPT) break;
      if (!kept.has(key)) kept.set(key, files);
    }
    writeKeyedCache(this.path, kept);
  }

  /** Whether the file already lists this run's entries first, in this run's order. */
  private usedFirst(): boolean {
    const stored = this.before.keys();
    for (const key of this.now.keys()) if (stored.next().value !== key) return false;
    return true;
  }
}

/**
 * A digest of a unit's input: of its exact content, keys in their order (a template may follow
 * it). Undefined for an input that holds something else than data (the unit is then always made).
 */
export function inputDigest(input: unknown): string | undefined {
  const parts: string[] = [];
  if (!encode(input, parts)) return undefined;
  return createHash("sha256").update(parts.join("")).digest("base64");
}

/** Appends the canonical text of `value`; false for what is not data. */
function encode(value: unknown, out: string[]): boolean {
  switch (typeof value) {
    case "string":
      out.push(JSON.stringify(value));
      return true;
    case "number":
      out.push(Object.is(value, -0) ? "-0" : String(value), ";");
      return true;
    case "boolean":
      out.push(value ? "T" : "F");
      return true;
    case "undefined":
      out.push("U");
      return true;
    case "object":
      return value === null ? (out.push("N"), true) : encodeObject(value, out);
    default:
      return false; // functions, symbols, bigints
  }
}

function encodeObject(value: object, out: string[]): boolean {
  if (Array.isArray(value)) {
    out.push("[");
    for (const item of value) if (!encode(item, out)) return false;
    out.push("]");
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== null && proto !== Object.prototype) return false; // a Map, a class instance
  out.push("{");
  for (const key of Object.keys(value)) {
    out.push(JSON.stringify(key), ":");
    if (!encode((value as Record<string, unknown>)[key], out)) return false;
  }
  out.push("}");
  return true;
}
