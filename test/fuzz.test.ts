// The fuzzer in the suite: a fixed seed and a bounded number of runs over the small fixture set
// (every kind, fragments with parameters, a test), every property of test/fuzz/oracle.ts held
// on each. `npm run fuzz` runs the same property longer over the repository's own package set,
// with other seeds (README, "Fuzzing"). Inputs it found are kept as cases of the corpus
// (test/corpus/cases.ts) and of test/hostile.test.ts.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plan } from "./fuzz/arbitrary.ts";
import { mutate, OPERATORS, type Step } from "./fuzz/mutate.ts";
import { check } from "./fuzz/oracle.ts";
import { Workspace } from "./workspace.ts";
import { nixTestsEnabled } from "./helpers.ts";

const SEED = 20261203;
const RUNS = 50;

describe.runIf(nixTestsEnabled())("fuzzing the package set", () => {
  it(`holds every property over ${RUNS} mutated package sets (seed ${SEED})`, async () => {
    const ws = await Workspace.create();
    let generated = 0;
    const property = fc.asyncProperty(plan, async (p) => {
      const { files, written } = mutate(ws.base, p);
      const report = await check(ws, files, written);
      if (report.ok) generated++;
      if (report.failures.length > 0) throw new Error(report.failures.join("\n"));
    });
    await fc.assert(property, { numRuns: RUNS, seed: SEED });
    // Both sides were exercised: runs that generate, and runs that are refused.
    expect(generated).toBeGreaterThan(RUNS / 10);
    expect(generated).toBeLessThan(RUNS);
  });

  it("every operator changes the package set", async () => {
    const ws = await Workspace.create();
    const unchanged = OPERATORS.filter((op) => {
      // A few variants each: an operator may find nothing to do in one file.
      return Array.from({ length: 12 }, (_, n) => n).every((n) => {
        const step: Step = { op, a: n * 7, b: n * 3, c: n * 11 + 1, text: "x'' ${y}" };
        return mutate(ws.base, [step]).files.size === 0;
      });
    });
    expect(unchanged).toEqual([]);
  });
});
