// Generator benchmark: nixgen as a user runs it (bin/nixgen.mjs, one process per run) on
// synthetic package sets of several sizes (bench/synthetic.ts) and on the repository's own set.
// For each size: cold generate (no generated/), no-op generate, generate after one edit, check;
// the median of the runs, the peak memory and the files rewritten. The real set is timed against
// `node -e ''`, pair by pair. It prints a table (or --json) and the targets it meets; it asserts
// nothing (the targets are for this 2-core machine, not for CI).
//   npm run bench [-- --sizes 1000,10000,100000 --runs 3 --json]

import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { bundleIsFresh } from "../bin/bundle.mjs";
import { precompiledIsFresh } from "../generator/validators.ts";
import { editOne, writeSyntheticSet } from "./synthetic.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const MEASURE = join(REPO, "bench/measure.mjs");

interface Run {
  readonly seconds: number;
  readonly rssMiB: number;
  /** Files written (generate) or found stale (check). */
  readonly files: number;
}

interface SizeResult {
  readonly images: number;
  readonly descriptors: number;
  readonly cold: Run;
  readonly noop: Run;
  readonly edit: Run;
  readonly check: Run;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** One nixgen process in `root`: its wall time, peak memory and the files its JSON names. */
function nixgen(root: string, command: "generate" | "check"): Run {
  const rssFile = join(root, ".bench-rss");
  const start = process.hrtime.bigint();
  const done = spawnSync(process.execPath, [MEASURE, rssFile, command, "--format", "json"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (done.status !== 0) throw new Error(`nixgen ${command} in ${root}: ${done.stderr}`);
  const result = JSON.parse(done.stdout) as { written?: unknown[]; stale?: unknown[] };
  const rssMiB = Number(readFileSync(rssFile, "utf8")) / 1024;
  rmSync(rssFile);
  return { seconds, rssMiB, files: (result.written ?? result.stale ?? []).length };
}

/** The median run of `runs`, by time; peak memory is the highest seen. */
function repeat(runs: number, once: (round: number) => Run): Run {
  const all = Array.from({ length: runs }, (_, round) => once(round));
  return {
    seconds: median(all.map((r) => r.seconds)),
    rssMiB: Math.max(...all.map((r) => r.rssMiB)),
    files: median(all.map((r) => r.files)),
  };
}

function measureSize(images: number, runs: number): SizeResult {
  const root = mkdtempSync(join(tmpdir(), `nixgen-bench-${images}-`));
  try {
    writeSyntheticSet(root, images);
    const descriptors =
      spawnSync("find", [join(root, "packages"), "-name", "*.yaml"], {
        encoding: "utf8",
        maxBuffer: 1 << 30,
      }).stdout.split("\n").length - 1;
    const cold = repeat(runs, () => {
      rmSync(join(root, "generated"), { recursive: true, force: true });
      rmSync(join(root, "docs"), { recursive: true, force: true });
      return nixgen(root, "generate");
    });
    const noop = repeat(runs, () => nixgen(root, "generate"));
    const edit = repeat(runs, (round) => {
      editOne(root, images, round);
      return nixgen(root, "generate");
    });
    const check = repeat(runs, () => nixgen(root, "check"));
    return { images, descriptors, cold, noop, edit, check };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

interface RealSet {
  readonly nodeSeconds: number;
  readonly generateSeconds: number;
  readonly checkSeconds: number;
}

/** The repository's set, copied (a stale tree must not be rewritten here), against node -e ''. */
function measureRealSet(runs: number): RealSet {
  const root = mkdtempSync(join(tmpdir(), "nixgen-bench-real-"));
  try {
    for (const dir of ["packages", "generated", "docs"]) {
      cpSync(join(REPO, dir), join(root, dir), { recursive: true });
    }
    const time = (args: string[]) => {
      const start = process.hrtime.bigint();
      const done = spawnSync(process.execPath, args, { cwd: root, stdio: "ignore" });
      if (done.status !== 0) throw new Error(`node ${args.join(" ")} exited ${done.status}`);
      return Number(process.hrtime.bigint() - start) / 1e9;
    };
    const bin = join(REPO, "bin/nixgen.mjs");
    const node: number[] = [];
    const generate: number[] = [];
    const check: number[] = [];
    time([bin, "generate"]); // brings the copy up to date with this generator
    for (let i = 0; i < runs; i++) {
      node.push(time(["-e", ""]));
      generate.push(time([bin, "generate"]));
      check.push(time([bin, "check"]));
    }
    return {
      nodeSeconds: median(node),
      generateSeconds: median(generate),
      checkSeconds: median(check),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The targets of this 2-core machine, each with whether the figures meet it. */
function targets(real: RealSet, sizes: readonly SizeResult[]): [string, boolean][] {
  const found: [string, boolean][] = [
    ["real set: no-op generate <= 3x node -e ''", real.generateSeconds <= 3 * real.nodeSeconds],
    ["real set: check <= 3x node -e ''", real.checkSeconds <= 3 * real.nodeSeconds],
  ];
  const ten = sizes.find((s) => s.images === 10_000);
  if (ten !== undefined) {
    found.push(
      ["10,000 images: cold <= 3 s", ten.cold.seconds <= 3],
      ["10,000 images: cold peak <= 400 MB", ten.cold.rssMiB * 1.048576 <= 400],
      ["10,000 images: no-op <= 0.5 s", ten.noop.seconds <= 0.5],
      ["10,000 images: one edit <= 0.5 s", ten.edit.seconds <= 0.5],
    );
    const hundred = sizes.find((s) => s.images === 100_000);
    if (hundred !== undefined) {
      for (const run of ["cold", "noop", "edit", "check"] as const) {
        found.push([
          `100,000 images: ${run} <= 11x the 10,000 figure`,
          hundred[run].seconds <= 11 * ten[run].seconds,
        ]);
      }
      found.push(["100,000 images: peak <= 4 GB", hundred.cold.rssMiB * 1.048576 <= 4000]);
    }
  }
  return found;
}

function machine() {
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

function table(result: {
  machine: ReturnType<typeof machine>;
  runs: number;
  real: RealSet;
  sizes: SizeResult[];
  targets: [string, boolean][];
}): string {
  const m = result.machine;
  const s = (seconds: number) => `${seconds.toFixed(2)} s`;
  const run = (r: Run) => `${s(r.seconds)}, ${Math.round(r.rssMiB)} MiB, ${r.files} files`;
  const lines = [
    `machine: ${m.cores} x ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}, load ${m.loadAverage.join(" ")}`,
    `medians of ${result.runs} runs`,
    "",
    "| real set: node -e '' | no-op generate | check |",
    "| --- | --- | --- |",
    `| ${s(result.real.nodeSeconds)} | ${s(result.real.generateSeconds)} (${(result.real.generateSeconds / result.real.nodeSeconds).toFixed(1)}x) | ${s(result.real.checkSeconds)} (${(result.real.checkSeconds / result.real.nodeSeconds).toFixed(1)}x) |`,
    "",
    "| images | descriptors | cold generate | no-op generate | one edit | check |",
    "| --- | --- | --- | --- | --- | --- |",
    ...result.sizes.map(
      (z) =>
        `| ${z.images} | ${z.descriptors} | ${run(z.cold)} | ${run(z.noop)} | ${run(z.edit)} | ${run(z.check)} |`,
    ),
    "",
    ...result.targets.map(([target, met]) => `${met ? "met    " : "NOT MET"}  ${target}`),
  ];
  return lines.join("\n");
}

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,10000,100000" },
    runs: { type: "string", default: "3" },
    json: { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
const sizes = values.sizes.split(",").map(Number);
if (!Number.isInteger(runs) || runs < 1 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error("usage: npm run bench -- [--sizes 1000,10000] [--runs N] [--json]");
  process.exit(2);
}
// Measure what a user runs: the bundle and the precompiled validators, built if out of date.
if (!bundleIsFresh() || !precompiledIsFresh()) {
  const built = spawnSync("npm", ["run", "--silent", "build"], { cwd: REPO, stdio: "inherit" });
  if (built.status !== 0) process.exit(2);
}
const result = {
  machine: machine(),
  runs,
  real: measureRealSet(Math.max(runs, 5)),
  sizes: sizes.map((n) => measureSize(n, runs)),
  targets: [] as [string, boolean][],
};
result.targets = targets(result.real, result.sizes);
console.log(values.json ? JSON.stringify(result, null, 2) : table(result));
