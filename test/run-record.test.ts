// The run record can never make `generate` or `check` report other than the pipeline would:
// random sequences of edits to a project (descriptors and fragments by the fuzzer's operators,
// and generated/ and docs/ changed, emptied, added to by hand), each followed by runs with the
// record and a run without it, whose reports must be the same; the record must answer the runs
// that find the project up to date (so the comparison is not vacuous), and never a project that is
// not idle, another Nix, or a record file that cannot be read.

import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summaryOf } from "../generator/cli/generate.ts";
import { exitFor } from "../generator/cli/exit.ts";
import { formatDiagnostic } from "../generator/diagnostics.ts";
import { inputsDigest, type RunSummary } from "../generator/run-record.ts";
import { plan, weirdString } from "./fuzz/arbitrary.ts";
import { tempDir } from "./helpers.ts";
import { applyMutation, filesUnder } from "./project-edits.ts";
import { fixtureProject } from "./workspace.ts";

const SEED = 777;
const SEQUENCES = 40;

let recordFile: string;

beforeAll(() => {
  recordFile = join(tempDir("nixgen-runs-"), "runs.json");
  process.env.NIXGEN_RUN_RECORD = recordFile;
});

afterAll(() => {
  delete process.env.NIXGEN_RUN_RECORD;
});

type Command = "generate" | "check";

/** What the command prints, whatever answered: every field of the report, texts included. */
function report(s: RunSummary) {
  return {
    exit: exitFor(s),
    ok: s.ok,
    diagnostics: s.diagnostics.map((d) => formatDiagnostic(d, s.sources)),
    warnings: s.warnings,
    unknown: s.unknown,
    fileCount: s.fileCount,
    stale: s.stale,
    write: s.write,
    docs: s.docs,
  };
}

/** A run as a new process would make it, with the record or with every cache turned off. */
async function run(root: string, command: Command, record: boolean) {
  if (!record) process.env.NIXGEN_CACHE = "0";
  try {
    const summary = await summaryOf(command, root);
    return { report: report(summary), fromRecord: summary.fromRecord === true };
  } finally {
    delete process.env.NIXGEN_CACHE;
  }
}

/** Edits of what the pipeline compares its output with, as a maintainer could make them. */
type TreeEdit =
  | { op: "change" | "delete"; index: number; text: string }
  | { op: "unknown-file" | "empty-folder" | "docs" | "catalog"; text: string }
  | { op: "no-docs" };

const treeEdit: fc.Arbitrary<TreeEdit> = fc.oneof(
  fc.record({
    op: fc.constantFrom("change" as const, "delete" as const),
    index: fc.nat(999),
    text: weirdString,
  }),
  fc.record({
    op: fc.constantFrom(
      "unknown-file" as const,
      "empty-folder" as const,
      "docs" as const,
      "catalog" as const,
    ),
    text: weirdString,
  }),
  fc.constant({ op: "no-docs" as const }),
);

function applyTreeEdit(root: string, edit: TreeEdit): void {
  const generated = filesUnder(root, "generated");
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  switch (edit.op) {
    case "change":
    case "delete": {
      if (generated.length === 0) return;
      const path = generated[edit.index % generated.length]!;
      if (edit.op === "delete") rmSync(join(root, path));
      else write(path, readFileSync(join(root, path), "utf8") + edit.text);
      return;
    }
    case "unknown-file":
      return write(`generated/by-hand-${edit.text.length}.txt`, edit.text);
    case "empty-folder":
      mkdirSync(join(root, `generated/empty-${edit.text.length}`), { recursive: true });
      return;
    case "docs":
      return write("docs/descriptors.md", edit.text);
    case "catalog":
      return write("docs/catalog.md", edit.text);
    case "no-docs":
      return rmSync(join(root, "docs/descriptors.md"), { force: true });
  }
}

const action = fc.oneof(
  { arbitrary: plan.map((p) => ({ packages: p })), weight: 3 },
  { arbitrary: treeEdit.map((t) => ({ tree: t })), weight: 2 },
  { arbitrary: fc.constant({ generate: true as const }), weight: 1 },
);

describe("the run record", () => {
  it(`reports what the pipeline reports, over ${SEQUENCES} random sequences of edits`, async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 5 }), async (actions) => {
        const root = await fixtureProject();
        try {
          const packages = new Map(
            filesUnder(root, "packages").map((p) => [p, readFileSync(join(root, p))]),
          );
          for (const a of actions) {
            const command: Command = "generate" in a ? "generate" : "check";
            if ("packages" in a) applyMutation(root, packages, a.packages);
            if ("tree" in a) applyTreeEdit(root, a.tree);
            if (command === "generate") await run(root, "generate", true);
            // The state is left as it is by each run below: a check writes nothing.
            const cold = await run(root, "check", false);
            const first = await run(root, "check", true);
            const second = await run(root, "check", true);
            expect(first.report).toEqual(cold.report);
            expect(second.report).toEqual(cold.report);
            // Up to date: the second run is answered by the record the first one left.
            if (cold.report.ok) expect(second.fromRecord).toBe(true);
            if (second.fromRecord) answered++;
            if (command === "generate") {
              // A no-op generate, from the record and from the pipeline.
              const recorded = await run(root, "generate", true);
              expect(recorded.fromRecord).toBe(cold.report.ok);
              expect(recorded.report).toEqual((await run(root, "generate", false)).report);
            }
          }
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: SEQUENCES, seed: SEED },
    );
    expect(answered).toBeGreaterThan(0);
  });

  it("replays a run's warnings: the same report without nix-instantiate, and again with it", async () => {
    const root = await fixtureProject();
    const path = process.env.PATH;
    process.env.PATH = tempDir("nixgen-no-nix-");
    try {
      const cold = await run(root, "check", false);
      expect(cold.report.diagnostics).toEqual([expect.stringContaining("[nixfile/unchecked]")]);
      await run(root, "check", true);
      const recorded = await run(root, "check", true);
      expect(recorded.fromRecord).toBe(true);
      expect(recorded.report).toEqual(cold.report);
    } finally {
      process.env.PATH = path;
    }
    const withNix = await run(root, "check", true);
    expect(withNix.fromRecord).toBe(false);
    expect(withNix.report.diagnostics).toEqual([]);
  });

  it("does not answer while a run's lock or leftovers are in the project root", async () => {
    const root = await fixtureProject();
    await run(root, "check", true);
    expect((await run(root, "check", true)).fromRecord).toBe(true);
    for (const name of [".generated.lock", ".generated.staging-999999", ".generated.previous"]) {
      mkdirSync(join(root, name));
      const withLeftover = await run(root, "check", true);
      expect(withLeftover.fromRecord).toBe(false);
      rmSync(join(root, name), { recursive: true, force: true });
    }
  });

  it("does not answer for another nix-instantiate, nor for a folder it cannot read", async () => {
    const root = await fixtureProject();
    const before = inputsDigest(root);
    const bin = tempDir("nixgen-other-nix-");
    writeFileSync(join(bin, "nix-instantiate"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      expect(inputsDigest(root)).not.toBe(before);
    } finally {
      process.env.PATH = path;
    }
    expect(inputsDigest(root)).toBe(before);
    // A folder without the right to list it: root reads it anyway, so only where the rule holds.
    chmodSync(join(root, "packages"), 0o000);
    try {
      let listable = true;
      try {
        readdirSync(join(root, "packages"));
      } catch {
        listable = false;
      }
      if (!listable) expect(inputsDigest(root)).toBeUndefined();
    } finally {
      chmodSync(join(root, "packages"), 0o755);
    }
  });

  it("ignores a truncated or corrupted record with a warning, and writes it again", async () => {
    const root = await fixtureProject();
    const cold = await run(root, "check", false);
    await run(root, "check", true);
    const whole = readFileSync(recordFile, "utf8");
    for (const broken of [
      whole.slice(0, whole.length >> 1),
      "not json",
      JSON.stringify({ runs: [{ root, inputs: 1 }] }),
    ]) {
      writeFileSync(recordFile, broken);
      const result = await run(root, "check", true);
      expect(result.fromRecord).toBe(false);
      expect(result.report.warnings).toEqual([
        expect.stringMatching(/^the run record .* could not be read; ignored, and written again/),
      ]);
      expect({ ...result.report, warnings: [] }).toEqual(cold.report);
      expect((await run(root, "check", true)).fromRecord).toBe(true);
    }
  });

  it("never answers from a record of other inputs, even one made to look right", async () => {
    const root = await fixtureProject();
    await run(root, "check", true);
    const stored = JSON.parse(readFileSync(recordFile, "utf8")) as {
      runs: { root: string; inputs: string; diagnostics: unknown[] }[];
    };
    // The record of this project claims a warning the pipeline does not give, under inputs
    // that are not these (an older generator's, say).
    const forged = stored.runs.map((r) =>
      r.root === root ? { ...r, inputs: `${r.inputs.slice(1)}0`, diagnostics: [] } : r,
    );
    writeFileSync(recordFile, JSON.stringify({ runs: forged }));
    expect((await run(root, "check", true)).fromRecord).toBe(false);
  });
});
