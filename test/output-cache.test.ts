// The output cache can never make a run differ from a cold one: random sequences of edits to a
// project (descriptors and fragments by the fuzzer's operators, versions and descriptions as
// maintainers edit them, files of packages/ deleted or restored; files of generated/ changed,
// emptied, deleted or replaced by a folder) with `generate` runs between them, each state checked
// with the cache and without any, every printed file, diagnostic, stale text and warning
// compared; the cache must be used (so that the comparison is not vacuous), never for a file
// changed by hand, never across generators or unit kinds, and a file that cannot be read as a
// cache is ignored with a warning. The digest of a unit's input is equal exactly for equal data.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../generator/index.ts";
import { inputDigest } from "../generator/output-cache.ts";
import { plan, weirdString } from "./fuzz/arbitrary.ts";
import { tempDir } from "./helpers.ts";
import { applyMutation, filesUnder } from "./project-edits.ts";
import { fixtureProject } from "./workspace.ts";

const SEED = 9090;
const SEQUENCES = 30;

let cacheFile: string;

beforeAll(() => {
  cacheFile = join(tempDir("nixgen-outputs-"), "outputs.json");
  process.env.NIXGEN_OUTPUT_CACHE = cacheFile;
});

afterAll(() => {
  delete process.env.NIXGEN_OUTPUT_CACHE;
});

/** A run of the pipeline as a new process makes it, with the caches or with every cache off. */
async function run(root: string, options: { cache: boolean; write?: boolean }) {
  if (!options.cache) process.env.NIXGEN_CACHE = "0";
  try {
    const result = await generate({ root, check: options.write !== true });
    return {
      report: {
        ok: result.ok,
        files: [...result.files],
        diagnostics: result.diagnostics,
        stale: result.stale,
        unknown: result.unknown,
        warnings: result.warnings,
        written: result.write?.written,
      },
      units: result.units,
    };
  } finally {
    delete process.env.NIXGEN_CACHE;
  }
}

/** A file of generated/ changed, emptied, deleted or replaced by a folder, as a user could. */
type TreeEdit = { op: "append" | "empty" | "delete" | "folder"; index: number; text: string };

const treeEdit: fc.Arbitrary<TreeEdit> = fc.record({
  op: fc.constantFrom("append" as const, "empty" as const, "delete" as const, "folder" as const),
  index: fc.nat(999),
  text: weirdString,
});

function applyTreeEdit(root: string, edit: TreeEdit): void {
  const files = filesUnder(root, "generated");
  if (files.length === 0) return;
  const path = join(root, files[edit.index % files.length]!);
  if (edit.op === "append") writeFileSync(path, readFileSync(path, "utf8") + edit.text);
  if (edit.op === "empty") writeFileSync(path, "");
  if (edit.op === "delete" || edit.op === "folder") rmSync(path);
  if (edit.op === "folder") mkdirSync(path);
}

/**
 * A field a maintainer edits every day: a version (numbers), a description (any text, quoted).
 * The set mostly stays valid, so that the runs after it print and compare files.
 */
type FieldEdit = { field: "version" | "description"; index: number; text: string };

const fieldEdit: fc.Arbitrary<FieldEdit> = fc.oneof(
  fc.record({
    field: fc.constant("version" as const),
    index: fc.nat(999),
    text: fc.array(fc.nat(20), { minLength: 1, maxLength: 4 }).map((n) => n.join(".")),
  }),
  fc.record({
    field: fc.constant("description" as const),
    index: fc.nat(999),
    text: fc.oneof(weirdString, fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 })),
  }),
);

function applyFieldEdit(root: string, packages: Map<string, Uint8Array>, edit: FieldEdit): void {
  const line = new RegExp(`^${edit.field}: .*$`, "m");
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const candidates = [...packages].filter(([, bytes]) => line.test(text(bytes)));
  if (candidates.length === 0) return;
  const [path, bytes] = candidates[edit.index % candidates.length]!;
  const changed = text(bytes).replace(line, `${edit.field}: ${JSON.stringify(edit.text)}`);
  writeFileSync(join(root, path), changed);
  packages.set(path, Buffer.from(changed));
}

/** packages/ put back as the fixture has it: the sequence goes on from a valid set. */
function restorePackages(root: string, packages: Map<string, Uint8Array>): void {
  rmSync(join(root, "packages"), { recursive: true, force: true });
  packages.clear();
  for (const [path, bytes] of base) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), bytes);
    packages.set(path, bytes);
  }
}

/** One file of packages/ deleted (a descriptor, a fragment, pins.yaml, a Nix file). */
function removeDescriptor(root: string, packages: Map<string, Uint8Array>, index: number): void {
  const paths = [...packages.keys()].sort();
  if (paths.length === 0) return;
  const path = paths[index % paths.length]!;
  rmSync(join(root, path));
  packages.delete(path);
}

let base: ReadonlyMap<string, Uint8Array>;

const action = fc.oneof(
  { arbitrary: plan.map((p) => ({ packages: p })), weight: 2 },
  { arbitrary: fieldEdit.map((f) => ({ field: f })), weight: 3 },
  { arbitrary: fc.constant({ restore: true as const }), weight: 1 },
  { arbitrary: fc.nat(999).map((index) => ({ remove: index })), weight: 1 },
  { arbitrary: treeEdit.map((t) => ({ tree: t })), weight: 2 },
  { arbitrary: fc.constant({ generate: true as const }), weight: 2 },
);

describe("the output cache", () => {
  it(`gives what a cold run gives, over ${SEQUENCES} random sequences of edits`, async () => {
    let reused = 0;
    let comparedWithChanges = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 5 }), async (actions) => {
        const root = await fixtureProject();
        try {
          const packages = new Map<string, Uint8Array>(
            filesUnder(root, "packages").map((p) => [p, readFileSync(join(root, p))]),
          );
          base ??= new Map(packages);
          for (const a of actions) {
            if ("packages" in a) applyMutation(root, packages, a.packages);
            if ("field" in a) applyFieldEdit(root, packages, a.field);
            if ("restore" in a) restorePackages(root, packages);
            if ("remove" in a) removeDescriptor(root, packages, a.remove);
            if ("tree" in a) applyTreeEdit(root, a.tree);
            const cold = await run(root, { cache: false });
            const cached = await run(root, { cache: true });
            expect(cached.report).toEqual(cold.report);
            reused += cached.units.reused;
            if (cold.report.stale.length > 0 && cached.units.reused > 0) comparedWithChanges++;
            if ("generate" in a && cold.report.ok) {
              // What generate writes with the cache is what a cold run wants: nothing stale.
              await run(root, { cache: true, write: true });
              const after = await run(root, { cache: false });
              expect(after.report.stale).toEqual([]);
              const again = await run(root, { cache: true });
              expect(again.report).toEqual(after.report);
              expect(again.units.made).toBe(0);
            }
          }
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: SEQUENCES, seed: SEED },
    );
    expect(reused).toBeGreaterThan(0);
    // Not vacuous: states where some files are stale and others were taken from generated/.
    expect(comparedWithChanges).toBeGreaterThanOrEqual(SEQUENCES / 2);
  });

  it("makes only the edited descriptor's unit again after an edit", async () => {
    const root = await fixtureProject();
    try {
      await run(root, { cache: true, write: true });
      const path = join(root, "packages/locksmith.yaml");
      writeFileSync(path, readFileSync(path, "utf8").replace(/version: .*/, "version: 9.9.9"));
      const cached = await run(root, { cache: true });
      // Its own file only: default.nix and jobset.nix read where packages are, not what they hold.
      expect(cached.units.made).toBe(1);
      expect(cached.units.reused).toBeGreaterThan(10);
      expect(cached.report).toEqual((await run(root, { cache: false })).report);
      expect(cached.report.stale.map((s) => s.path)).toEqual(["locksmith.nix"]);
      // A new package (a copy, not a Go program sharing a deps file): its own file, and the
      // unit of the whole set.
      await run(root, { cache: true, write: true });
      const waitFor = readFileSync(join(root, "packages/waitFor.yaml"));
      writeFileSync(join(root, "packages/waitFor2.yaml"), waitFor);
      const added = await run(root, { cache: true });
      expect(added.units.made).toBe(2);
      expect(added.report).toEqual((await run(root, { cache: false })).report);
      expect(added.report.stale.map((s) => s.path)).toEqual([
        ".manifest",
        "default.nix",
        "waitFor2.nix",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("tells units apart by what they make, not only by their input (a set without pins)", async () => {
    const root = await fixtureProject();
    try {
      // Without pins.yaml, nixpkgs-fetch.nix is made from null, as flake-outputs.nix is.
      rmSync(join(root, "packages/pins.yaml"));
      await run(root, { cache: true, write: true });
      const cold = await run(root, { cache: false });
      expect(cold.report.ok).toBe(true);
      const cached = await run(root, { cache: true });
      expect(cached.units.made).toBe(0);
      expect(cached.report).toEqual(cold.report);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("keeps another project's entries: a run elsewhere does not make it print again", async () => {
    const here = await fixtureProject();
    const elsewhere = await fixtureProject();
    try {
      await run(here, { cache: true, write: true });
      const path = join(elsewhere, "packages/locksmith.yaml");
      writeFileSync(path, readFileSync(path, "utf8").replace(/version: .*/, "version: 9.9.9"));
      expect((await run(elsewhere, { cache: true })).units.made).toBe(1);
      const back = await run(here, { cache: true });
      expect(back.units.made).toBe(0);
      expect(back.report).toEqual((await run(here, { cache: false })).report);
    } finally {
      rmSync(here, { recursive: true, force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("makes no difference when the caches cannot be written (a file where their folder goes)", async () => {
    const root = await fixtureProject();
    const file = join(tempDir("nixgen-cache-file-"), "a-file");
    writeFileSync(file, "");
    const names = ["NIXGEN_PARSE_CACHE", "NIXGEN_OUTPUT_CACHE", "NIXGEN_RUN_RECORD"] as const;
    const saved = names.map((name) => process.env[name]);
    try {
      const cold = await run(root, { cache: false });
      for (const name of names) process.env[name] = join(file, `${name}.json`);
      const { summaryOf } = await import("../generator/cli/generate.ts");
      for (let i = 0; i < 2; i++) {
        expect((await run(root, { cache: true })).report).toEqual(cold.report);
        expect((await summaryOf("check", root)).ok).toBe(true);
      }
    } finally {
      names.forEach((name, i) => {
        if (saved[i] === undefined) delete process.env[name];
        else process.env[name] = saved[i];
      });
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("never uses a file of generated/ that is not the recorded text", async () => {
    const root = await fixtureProject();
    try {
      await run(root, { cache: true, write: true });
      const path = join(root, "generated/locksmith.nix");
      const text = readFileSync(path, "utf8");
      for (const changed of [text.replace("locksmith", "locksmitH"), `${text} `, ""]) {
        writeFileSync(path, changed);
        const cached = await run(root, { cache: true });
        expect(cached.report).toEqual((await run(root, { cache: false })).report);
        expect(cached.report.stale).toEqual([
          expect.objectContaining({ path: "locksmith.nix", wanted: text }),
        ]);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("never trusts a cache of another generator, nor one that cannot be read", async () => {
    const root = await fixtureProject();
    try {
      await run(root, { cache: true, write: true });
      const cold = await run(root, { cache: false });
      const whole = readFileSync(cacheFile, "utf8");
      const stored = JSON.parse(whole) as { entries: Record<string, unknown> };
      writeFileSync(cacheFile, JSON.stringify({ ...stored, generator: "an older generator" }));
      const other = await run(root, { cache: true });
      expect(other.units.reused).toBe(0);
      expect(other.report).toEqual(cold.report);
      for (const broken of [
        whole.slice(0, whole.length >> 1),
        "not json",
        JSON.stringify({ generator: JSON.parse(whole).generator, entries: { x: [["a", 1]] } }),
        JSON.stringify({ generator: JSON.parse(whole).generator, entries: { x: [["../a", "h"]] } }),
      ]) {
        writeFileSync(cacheFile, broken);
        const result = await run(root, { cache: true });
        expect(result.report.warnings).toEqual([
          expect.stringMatching(
            /^the output cache .* could not be read; ignored, and written again/,
          ),
        ]);
        expect({ ...result.report, warnings: [] }).toEqual(cold.report);
        expect(result.units.reused).toBe(0);
        expect((await run(root, { cache: true })).units.made).toBe(0);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** Data the digest must tell apart: JSON values with undefined, -0 and key order that matters. */
const data: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, undefined, true, false, 0, -0, 1, "", "0", "1", "a"),
    fc.double(),
    fc.string(),
    fc.array(tie("value"), { maxLength: 4 }),
    fc
      .array(fc.tuple(fc.constantFrom("a", "b", "__proto__", "constructor", ""), tie("value")), {
        maxLength: 4,
      })
      .map((entries) => {
        const object = Object.create(null) as Record<string, unknown>;
        for (const [key, value] of entries) object[key] = value;
        return object;
      }),
  ),
})).value;

/** Equal as a template sees data: same keys in the same order, numbers by Object.is. */
function sameData(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
    return Object.is(a, b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k, i) => k === kb[i]) &&
    ka.every((k) => sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/**
 * A copy of `value` with node `at` (in depth-first order, wrapping) changed in one of four ways,
 * most of them small: a character added to a string's end, a number negated, an object's keys
 * reversed, an array's last item dropped (or a copy, when `how` does not apply to the node).
 */
function edited(value: unknown, at: number, how: number): unknown {
  let index = 0;
  const nodes = (v: unknown): number =>
    typeof v === "object" && v !== null
      ? 1 + Object.values(v).reduce((n, c) => n + nodes(c), 0)
      : 1;
  const target = at % nodes(value);
  const copy = (v: unknown): unknown => {
    const here = index++ === target;
    if (typeof v === "string") return here && how === 0 ? `${v}x` : v;
    if (typeof v === "number") return here && how === 1 ? -v : v;
    if (typeof v !== "object" || v === null) return v;
    if (Array.isArray(v)) {
      const items = v.map(copy);
      return here && how === 3 ? items.slice(0, -1) : items;
    }
    const entries = Object.entries(v).map(([k, c]) => [k, copy(c)] as const);
    const object = Object.create(null) as Record<string, unknown>;
    for (const [k, c] of here && how === 2 ? entries.reverse() : entries) object[k] = c;
    return object;
  };
  return copy(value);
}

describe("input digests", () => {
  it("are equal exactly when the data is the same, keys in their order", () => {
    // Inputs also share objects with earlier ones, at every depth.
    const seen: unknown[] = [];
    const input = fc.oneof(
      data,
      fc.nat().map((i) => (seen.length === 0 ? null : [seen[i % seen.length]])),
      fc.nat().map((i) => (seen.length === 0 ? null : { x: [seen[i % seen.length]] })),
    );
    const pair = fc.oneof(
      fc.tuple(input, input),
      fc.tuple(input, fc.nat(), fc.nat(3)).map(([a, at, how]) => [a, edited(a, at, how)] as const),
    );
    fc.assert(
      fc.property(pair, ([a, b]) => {
        seen.push(a, b);
        expect(inputDigest(a) === inputDigest(b)).toBe(sameData(a, b));
      }),
      { numRuns: 3000, seed: SEED },
    );
  });

  it("tell values apart however their text is cut", () => {
    const pairs: [unknown, unknown][] = [
      [[["a", "b"]], [["ab"]]],
      [["a", "b"], ["ab"]],
      [{ ab: "" }, { a: "b" }],
      [[1, 2], [12]],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [[{}], { 0: {} }],
      [
        ["set", null],
        ["pins", null],
      ],
    ];
    for (const [a, b] of pairs) expect(inputDigest(a)).not.toBe(inputDigest(b));
  });

  it("gives none for what is not data", () => {
    for (const value of [new Map(), [new Set()], { f: () => 1 }, { d: new Date(0) }, 1n]) {
      expect(inputDigest(value)).toBeUndefined();
    }
  });
});
