// npm run fuzz -- [--runs N] [--seed S] [--jobs J] [--base DIR] [--path P]
//
// Mutates the package set of DIR (default: this repository) and checks every property of
// test/fuzz/oracle.ts on each run. J worker processes (default: one per core) share the runs,
// worker k with seed S+k. A failure is shrunk to a minimal plan by fast-check and printed with the
// seed and path that replay it.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { plan } from "./arbitrary.ts";
import { mutate } from "./mutate.ts";
import { check, Workspace } from "./oracle.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "1000" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    jobs: { type: "string", default: String(availableParallelism()) },
    base: { type: "string", default: REPO },
    path: { type: "string" },
    worker: { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const jobs = values.path === undefined ? Math.max(1, Number(values.jobs)) : 1;

async function worker(): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), "nixgen-fuzz-"));
  // Stopped early (Ctrl-C, kill): the workspace goes all the same.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      rmSync(root, { recursive: true, force: true });
      process.exit(130);
    });
  }
  let done = 0;
  const stats = { ok: 0, reached: 0, codes: new Map<string, number>() };
  try {
    const ws = await Workspace.create(values.base, root);
    const property = fc.asyncProperty(plan, async (p) => {
      const { files, written } = mutate(ws.base, p);
      const report = await check(ws, files, written);
      if (report.ok) stats.ok++;
      stats.reached += report.reached;
      for (const code of new Set(report.codes))
        stats.codes.set(code, (stats.codes.get(code) ?? 0) + 1);
      if (++done % 250 === 0) console.log(`[seed ${seed}] ${done} runs`);
      if (report.failures.length > 0) throw new Error(report.failures.join("\n"));
    });
    const result = await fc.check(property, {
      numRuns: runs,
      seed,
      ...(values.path === undefined ? {} : { path: values.path }),
    });
    const codes = [...stats.codes].sort((x, y) => y[1] - x[1]).map(([c, n]) => `${c} ${n}`);
    console.log(
      `[seed ${seed}] ${done} runs: ${stats.ok} generated (${stats.reached} written strings found in Nix values), ` +
        `${done - stats.ok} refused; errors by code: ${codes.join(", ")}`,
    );
    if (!result.failed) {
      console.log(`[seed ${seed}] ${runs} runs, no failure`);
      return 0;
    }
    console.log(
      `[seed ${seed}] FAILED after ${result.numRuns} runs, shrunk ${result.numShrinks} times`,
    );
    console.log(`plan: ${JSON.stringify(result.counterexample?.[0])}`);
    console.log(`replay: npm run fuzz -- --seed ${seed} --path ${result.counterexamplePath ?? ""}`);
    console.log(
      String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance),
    );
    return 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  if (values.worker || jobs === 1) return worker();
  const share = Math.ceil(runs / jobs);
  const children = Array.from({ length: jobs }, (_, k) => {
    const args = ["--import", "tsx", fileURLToPath(import.meta.url), "--worker"];
    args.push("--runs", String(share), "--seed", String(seed + k), "--base", values.base);
    const child = spawn(process.execPath, args, { stdio: "inherit", cwd: REPO });
    return new Promise<number>((done) => child.on("close", (code) => done(code ?? 1)));
  });
  const codes = await Promise.all(children);
  const failed = codes.filter((c) => c !== 0).length;
  console.log(
    `${jobs} workers, ${share * jobs} runs: ${failed === 0 ? "no failure" : `${failed} worker(s) failed`}`,
  );
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
