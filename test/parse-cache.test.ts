// The parse cache can never make a run differ from a cold one: random sequences of edits to the
// fixture set (descriptors and fragments added, changed, renamed, deleted, fields of every type
// rewritten, by the fuzzer's operators), each run with the cache compared with a run without it
// (every printed file, every diagnostic, every source text); a cache written by another
// generator, a truncated or corrupted one are not trusted.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../generator/index.ts";
import { bytesKey } from "../generator/parse-cache.ts";
import { plan } from "./fuzz/arbitrary.ts";
import { mutate } from "./fuzz/mutate.ts";
import { tempDir } from "./helpers.ts";
import { Workspace } from "./workspace.ts";

const SEED = 4242;
const SEQUENCES = 25;

let ws: Workspace;
let cacheFile: string;

beforeAll(async () => {
  ws = await Workspace.create();
  cacheFile = join(tempDir("nixgen-cache-"), "parse.json");
  process.env.NIXGEN_PARSE_CACHE = cacheFile;
});

afterAll(() => {
  delete process.env.NIXGEN_PARSE_CACHE;
});

/** What a run gives, as a new process would run it: with the cache, or with it turned off. */
async function run(cache: boolean) {
  if (!cache) process.env.NIXGEN_CACHE = "0";
  try {
    const result = await generate({ root: ws.root, check: true });
    return {
      files: [...result.files],
      diagnostics: result.diagnostics,
      sources: [...result.sources],
      warnings: result.warnings,
    };
  } finally {
    delete process.env.NIXGEN_CACHE;
  }
}

describe("the parse cache", () => {
  it(`gives what a cold run gives, over ${SEQUENCES} random sequences of edits`, async () => {
    let hits = 0;
    const sequences = fc.array(plan, { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(sequences, async (edits) => {
        const current = new Map<string, Uint8Array>(ws.base);
        try {
          for (const edit of edits) {
            const { files } = mutate(current, edit);
            ws.apply(files);
            for (const [path, content] of files) {
              if (content === null) current.delete(path);
              else
                current.set(
                  path,
                  typeof content === "string" ? new TextEncoder().encode(content) : content,
                );
            }
            const cold = await run(false);
            const first = await run(true); // fills the cache with what changed
            const cached = await run(true); // reads every clean descriptor from it
            expect(first).toEqual(cold);
            expect(cached).toEqual(cold);
            if (cached.files.length > 0) hits++;
          }
        } finally {
          ws.restore();
        }
      }),
      { numRuns: SEQUENCES, seed: SEED },
    );
    expect(hits).toBeGreaterThan(0);
  });

  it("never trusts a cache written by another generator", async () => {
    await run(true);
    const stored = JSON.parse(readFileSync(cacheFile, "utf8")) as {
      entries: Record<string, string>;
    };
    const cold = await run(false);
    // Every entry poisoned, under another generator's digest: not one may be used.
    const poisoned = Object.fromEntries(
      Object.keys(stored.entries).map((key) => [key, JSON.stringify({ kind: "poison" })]),
    );
    writeFileSync(
      cacheFile,
      JSON.stringify({ generator: "an older generator", entries: poisoned }),
    );
    expect(await run(true)).toEqual(cold);
  });

  it("ignores a truncated or corrupted cache with a warning, and writes it again", async () => {
    const cold = await run(false);
    await run(true);
    const whole = readFileSync(cacheFile, "utf8");
    for (const broken of [
      whole.slice(0, whole.length >> 1),
      "not json",
      JSON.stringify({ generator: JSON.parse(whole).generator, entries: [1, 2] }),
    ]) {
      writeFileSync(cacheFile, broken);
      const result = await run(true);
      expect(result.warnings).toEqual([
        expect.stringMatching(/^the parse cache .* could not be read; ignored, and written again/),
      ]);
      expect({ ...result, warnings: [] }).toEqual({ ...cold, warnings: [] });
      expect(JSON.parse(readFileSync(cacheFile, "utf8")).entries).toBeTypeOf("object");
    }
  });

  it("keys entries by the bytes: a file changed back and forth is read right each time", async () => {
    const path = "packages/locksmith.yaml";
    const original = ws.base.get(path)!;
    const key = bytesKey(original);
    await run(true);
    expect(Object.keys(JSON.parse(readFileSync(cacheFile, "utf8")).entries)).toContain(key);
    try {
      for (const version of ["0.2.9", "0.2.0", "0.3.0"]) {
        const text = new TextDecoder()
          .decode(original)
          .replace(/version: .*/, `version: ${version}`);
        ws.apply(new Map([[path, text]]));
        const cached = await run(true);
        expect(cached).toEqual(await run(false));
        const out = cached.files.find(([file]) => file === "locksmith.nix")![1];
        expect(out).toContain(version);
      }
    } finally {
      ws.restore();
    }
  });
});
