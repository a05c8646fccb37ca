// Stage 6, emit and print: the text of every file of generated/. Units are made one at a time
// and printed at once, so that no more than one unit's ASTs are alive; a unit whose input an
// earlier run printed, and whose files generated/ still holds unchanged, is read from there
// instead (the output cache).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "./diagnostics.ts";
import { emitUnits, makeUnit, nixLibrary } from "./emit.ts";
import type { PackageSet } from "./model.ts";
import { inputDigest, OutputCache, textHash, type CachedFiles } from "./output-cache.ts";
import { GENERATED_DIR } from "./paths.ts";
import { print } from "./print.ts";

export interface Rendered {
  /** Every file's text, by path relative to generated/, sorted by path. */
  readonly files: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
  /** Paths whose text was read from generated/: they hold it now. */
  readonly current: ReadonlySet<string>;
  /** Units made (emitted and printed) and units read from generated/. */
  readonly made: number;
  readonly reused: number;
  readonly warnings: readonly string[];
}

export interface RenderOptions {
  /** Another printer (a test's): the cache, which holds what `print` printed, is not used. */
  readonly print?: typeof print;
}

/** In a `u` pattern, a surrogate code unit only matches when it is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** The texts generated/ holds for a unit's files, when every one has the recorded hash. */
function readUnchanged(root: string, files: CachedFiles): [string, string][] | undefined {
  const texts: [string, string][] = [];
  for (const [path, hash] of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(root, GENERATED_DIR, path));
    } catch {
      return undefined; // missing, a folder, unreadable: made again
    }
    if (textHash(bytes) !== hash) return undefined;
    texts.push([path, bytes.toString("utf8")]);
  }
  return texts;
}

export function renderOutputs(
  root: string,
  set: PackageSet,
  options: RenderOptions = {},
): Rendered {
  const printer = options.print ?? print;
  const cache = options.print === undefined ? OutputCache.open() : undefined;
  const files = new Map<string, string>();
  const current = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  let made = 0;
  let reused = 0;
  for (const unit of emitUnits(set)) {
    const key = cache === undefined ? undefined : inputDigest([unit.kind, unit.input]);
    const cached = key === undefined ? undefined : cache!.get(key);
    const texts = cached === undefined ? undefined : readUnchanged(root, cached);
    if (texts !== undefined) {
      for (const [path, text] of texts) {
        files.set(path, text);
        current.add(path);
      }
      cache!.set(key!, cached!);
      reused++;
      continue;
    }
    const result = makeUnit(unit);
    if ("diagnostic" in result) {
      diagnostics.push(result.diagnostic);
      continue;
    }
    const printed = printer(new Map(result.outputs));
    for (const [path, text] of printed) {
      files.set(path, text);
      current.delete(path); // a later unit's file at the same path
    }
    made++;
    // A text with a lone surrogate does not read back as itself: such a unit is always made.
    if (key !== undefined && ![...printed.values()].some((t) => LONE_SURROGATE.test(t))) {
      cache!.set(
        key,
        [...printed].map(([path, text]) => [path, textHash(text)] as const),
      );
    }
  }
  for (const [name, text] of nixLibrary()) {
    files.set(`lib/${name}`, text);
    current.delete(`lib/${name}`);
  }
  cache?.save();
  return {
    files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))),
    current,
    diagnostics,
    made,
    reused,
    warnings: cache?.warnings ?? [],
  };
}
