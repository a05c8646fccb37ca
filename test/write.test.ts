// The writer of generated/: every filesystem step of a write made to fail in turn (and a kill
// simulated there), the lock against concurrent runs, and the diff report of `check`.

import { spawn, spawnSync } from "node:child_process";
import fg from "fast-glob";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate, loadPackageSet } from "../generator/index.ts";
import { emit } from "../generator/emit.ts";
import { print } from "../generator/print.ts";
import { diffTree, formatStale, type StaleText } from "../generator/stale.ts";
import {
  LOCK_FILE,
  recover,
  TreeLockedError,
  TreeShapeError,
  writeTree,
} from "../generator/write.ts";
import { REPO, rootWith, runCli, treeHash, tempDir } from "./helpers.ts";
import { fixtureProject } from "./workspace.ts";

const texts = (entries: Record<string, string>) => new Map(Object.entries(entries));

/** The hash of generated/, or "absent". */
function hashOf(root: string): string {
  const dir = join(root, "generated");
  return existsSync(dir) ? treeHash(dir) : "absent";
}

/** What a run leaves in the project root besides generated/: lock, staging, previous tree. */
function leftovers(root: string): string[] {
  return readdirSync(root).filter((name) => name.startsWith(".generated"));
}

/** A pid that no process has (one that exited), found once per file: spawning costs. */
let dead: number | undefined;
function deadPid(): number {
  dead ??= spawnSync("true").pid!;
  return dead;
}

function writeLock(root: string, pid: number): void {
  writeFileSync(join(root, LOCK_FILE), JSON.stringify({ pid, started: "2001-01-01T00:00:00Z" }));
}

function edit(root: string, path: string, change: (text: string) => string): void {
  const file = join(root, path);
  writeFileSync(file, change(readFileSync(file, "utf8")));
}

const bumpLocksmith = (root: string) =>
  edit(root, "packages/locksmith.yaml", (t) => t.replace("version: 0.2.0", "version: 0.2.1"));

async function printed(root: string): Promise<Map<string, string>> {
  return print(emit((await loadPackageSet(root)).set!).tree);
}

// ---------------------------------------------------------------------------------------------
// A change set with every kind of change: changed files, new files in new directories, a file
// the old manifest lists that is no longer produced, a file the user put there, an empty
// directory of theirs, and an unchanged file whose mtime must stay.

const OLD = texts({
  "default.nix": "old default\n",
  "keep.nix": "the same before and after\n",
  "lib/helpers.nix": "helpers v1\n",
  "gone/old.nix": "no longer produced\n",
});
const NEW = texts({
  "default.nix": "new default\n",
  "keep.nix": "the same before and after\n",
  "lib/helpers.nix": "helpers v2\n",
  "images/pulled/base.nix": "a new file in new directories\n",
  "images/app.nix": "another new file\n",
});
const PAST = new Date("2001-02-03T04:05:06Z");

async function oldTree(): Promise<string> {
  const root = rootWith({});
  await writeTree(root, OLD);
  mkdirSync(join(root, "generated/notes"));
  writeFileSync(join(root, "generated/notes/mine.txt"), "the user's own file\n");
  mkdirSync(join(root, "generated/scratch"));
  utimesSync(join(root, "generated/keep.nix"), PAST, PAST);
  return root;
}

/** A run killed in the middle of its swap: generated/ gone, the old tree beside it, junk. */
async function interruptedSwap(): Promise<string> {
  const root = await oldTree();
  renameSync(join(root, "generated"), join(root, ".generated.previous"));
  mkdirSync(join(root, `.generated.staging-${deadPid()}/lib`), { recursive: true });
  writeLock(root, deadPid());
  return root;
}

interface Scenario {
  readonly setup: () => Promise<string>;
  readonly texts: () => Promise<ReadonlyMap<string, string>> | ReadonlyMap<string, string>;
  /** The setup itself is what an interrupted run left (generated/ missing, junk beside it). */
  readonly interrupted?: boolean;
}

/** The steps of an undisturbed run of the scenario, and the tree it produces. */
async function cleanRun(scenario: Scenario): Promise<{ steps: string[]; newHash: string }> {
  const root = await scenario.setup();
  const steps: string[] = [];
  await writeTree(root, await scenario.texts(), { beforeStep: (s) => steps.push(s) });
  expect(leftovers(root)).toEqual([]);
  return { steps, newHash: hashOf(root) };
}

/** A step with the pid of the staging directory left out (a dead run's pid differs each time). */
const anyStaging = (step: string) => step.replace(/staging-\d+/g, "staging-*");

/** The old tree of the scenario, once any earlier interrupted run is repaired. */
async function recoveredHash(scenario: Scenario): Promise<string> {
  const root = await scenario.setup();
  await recover(root);
  return hashOf(root);
}

/**
 * Make step n fail, for every n of the run. At the failure, a copy of the project stands for a
 * process killed there: after recovery it must hold the old tree or the new one, whole. The run
 * itself must fail leaving the old tree (or, when only the removal of the previous tree failed,
 * succeed with the new one), and a following run must produce the new tree with no leftovers.
 */
async function failEveryStep(scenario: Scenario): Promise<string[]> {
  const { steps, newHash } = await cleanRun(scenario);
  const swapped = steps.findIndex((s) => s.startsWith("rename .generated.staging-"));
  expect(swapped).toBeGreaterThan(0);
  const oldHash = await recoveredHash(scenario);
  for (let n = 0; n < steps.length; n++) {
    const root = await scenario.setup();
    const killed = tempDir("nixgen-killed-");
    let count = 0;
    const beforeStep = (step: string) => {
      if (count++ !== n) return;
      expect(anyStaging(step)).toBe(anyStaging(steps[n]!));
      cpSync(root, killed, { recursive: true });
      throw new Error(`injected failure at ${step}`);
    };
    const outcome = await writeTree(root, await scenario.texts(), { beforeStep }).then(
      () => "succeeded",
      (error: Error) => error.message,
    );
    const context = `failure at step ${n + 1}/${steps.length}: ${steps[n]}`;

    // The run that failed: the old tree, untouched, unless the new one was already in place.
    if (outcome === "succeeded") {
      // Only the clean-up failed: the new tree is in place, the next run removes the old one.
      expect(steps[n], context).toBe("remove .generated.previous");
      expect(hashOf(root), context).toBe(newHash);
      expect(leftovers(root), context).toEqual([".generated.previous"]);
    } else {
      expect(anyStaging(outcome), context).toBe(`injected failure at ${anyStaging(steps[n]!)}`);
      // What an interrupted run left before this one may still be there: recovery's job.
      if (scenario.interrupted === true) await recover(root);
      expect(hashOf(root), context).toBe(oldHash);
      expect(leftovers(root), context).toEqual([]);
    }

    // The process killed at that step instead: recovery gives one tree or the other, whole.
    writeLock(killed, deadPid());
    if (n < swapped && scenario.interrupted !== true) {
      expect(hashOf(killed), context).toBe(oldHash);
    }
    await recover(killed);
    expect(hashOf(killed), context).toBe(n <= swapped ? oldHash : newHash);
    expect(leftovers(killed), context).toEqual([]);

    // The next run, after either, produces the new tree.
    for (const next of [root, killed]) {
      await writeTree(next, await scenario.texts());
      expect(hashOf(next), context).toBe(newHash);
      expect(leftovers(next), context).toEqual([]);
    }
  }
  return steps;
}

describe("writeTree: the whole tree or nothing", () => {
  it("builds the new tree beside the old one and swaps it in", async () => {
    const root = await oldTree();
    const keep = statSync(join(root, "generated/keep.nix"));
    const mine = statSync(join(root, "generated/notes/mine.txt"));
    const result = await writeTree(root, NEW);

    expect(result.written).toEqual([
      "default.nix",
      "lib/helpers.nix",
      "images/pulled/base.nix",
      "images/app.nix",
      ".manifest",
    ]);
    expect(result.removed).toEqual(["gone/old.nix"]);
    expect(result.unchanged).toBe(1);
    expect(result.unknown).toEqual(["notes/mine.txt"]);
    expect(result.warnings).toEqual([]);
    const dir = join(root, "generated");
    for (const [path, text] of NEW) expect(readFileSync(join(dir, path), "utf8")).toBe(text);
    expect(existsSync(join(dir, "gone"))).toBe(false);
    expect(existsSync(join(dir, "scratch"))).toBe(true);
    expect(readFileSync(join(dir, "notes/mine.txt"), "utf8")).toBe("the user's own file\n");
    // Unchanged and unknown files are the very same files: same inode, same mtime.
    const keepAfter = statSync(join(dir, "keep.nix"));
    expect([keepAfter.ino, keepAfter.mtimeMs]).toEqual([keep.ino, keep.mtimeMs]);
    expect(keepAfter.mtimeMs).toBe(PAST.getTime());
    expect(statSync(join(dir, "notes/mine.txt")).ino).toBe(mine.ino);
    expect(leftovers(root)).toEqual([]);
  });

  it("touches nothing when nothing changed", async () => {
    const root = await oldTree();
    const before = statSync(join(root, "generated"));
    const steps: string[] = [];
    const result = await writeTree(root, OLD, { beforeStep: (s) => steps.push(s) });
    expect(steps).toEqual(["create .generated.lock"]);
    expect(result.written).toEqual([]);
    expect(result.removed).toEqual([]);
    expect(result.unchanged).toBe(5);
    expect(statSync(join(root, "generated")).ino).toBe(before.ino);
    expect(statSync(join(root, "generated")).mtimeMs).toBe(before.mtimeMs);
    expect(leftovers(root)).toEqual([]);
  });

  it("survives a failure at every step of a full change set", async () => {
    const steps = await failEveryStep({ setup: oldTree, texts: () => NEW });
    // Unchanged and unknown files linked, the rest written, the removed file left out.
    expect(steps.map(anyStaging)).toEqual([
      "create .generated.lock",
      "mkdir .generated.staging-*",
      "mkdir .generated.staging-*/scratch",
      "link generated/keep.nix -> .generated.staging-*/keep.nix",
      "mkdir .generated.staging-*/notes",
      "link generated/notes/mine.txt -> .generated.staging-*/notes/mine.txt",
      "write .generated.staging-*/default.nix",
      "mkdir .generated.staging-*/lib",
      "write .generated.staging-*/lib/helpers.nix",
      "mkdir .generated.staging-*/images",
      "mkdir .generated.staging-*/images/pulled",
      "write .generated.staging-*/images/pulled/base.nix",
      "write .generated.staging-*/images/app.nix",
      "write .generated.staging-*/.manifest",
      "rename generated -> .generated.previous",
      "rename .generated.staging-* -> generated",
      "remove .generated.previous",
    ]);
  });

  it("survives a failure at every step of a first run (no generated/ yet)", async () => {
    const steps = await failEveryStep({ setup: async () => rootWith({}), texts: () => NEW });
    expect(steps.at(-1)).toMatch(/^rename \.generated\.staging-\d+ -> generated$/);
  });

  it("survives a failure at every step of the recovery of an interrupted swap", async () => {
    const steps = await failEveryStep({
      setup: interruptedSwap,
      texts: () => NEW,
      interrupted: true,
    });
    expect(steps.slice(0, 4)).toEqual([
      "create .generated.lock",
      "remove .generated.lock",
      "create .generated.lock",
      "rename .generated.previous -> generated",
    ]);
  });

  it("survives a failure at every step of a real change to the repository", async () => {
    // One project made, and its generated/ copied for each step (the write touches nothing else):
    // generating it each time would cost more.
    const template = await fixtureProject();
    bumpLocksmith(template);
    rmSync(join(template, "generated/dockerImages/pulled/kubernetesBaseImage.nix"));
    writeFileSync(join(template, "generated/README.local"), "notes\n");
    const wanted = await printed(template);
    const setup = async () => {
      const root = tempDir("nixgen-step-");
      cpSync(join(template, "generated"), join(root, "generated"), { recursive: true });
      return root;
    };
    const steps = await failEveryStep({ setup, texts: async () => wanted });
    expect(steps.filter((s) => s.startsWith("write ")).sort()).toEqual([
      expect.stringMatching(/\/dockerImages\/pulled\/kubernetesBaseImage\.nix$/),
      expect.stringMatching(/\/locksmith\.nix$/),
    ]);
  });

  it("repairs an interrupted swap before writing, and says so", async () => {
    const root = await interruptedSwap();
    const result = await writeTree(root, NEW);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^took over .*\.generated\.lock left by pid \d+ .*no longer runs$/),
      "restored generated/ from .generated.previous, left by an interrupted run",
      expect.stringMatching(/^removed \.generated\.staging-\d+, left by an interrupted run$/),
    ]);
    expect(result.removed).toEqual(["gone/old.nix"]);
    expect(leftovers(root)).toEqual([]);
  });

  it("removes the previous tree when the swap was done but not cleaned up", async () => {
    const root = await oldTree();
    cpSync(join(root, "generated"), join(root, ".generated.previous"), { recursive: true });
    expect(await recover(root)).toEqual([
      "removed .generated.previous, left by an interrupted run",
    ]);
    expect(leftovers(root)).toEqual([]);
  });
});

describe("a failure before the write writes nothing", () => {
  it("an invalid descriptor", async () => {
    const root = await fixtureProject();
    edit(root, "packages/locksmith.yaml", (t) => t.replace("pname:", "pnam:"));
    const before = hashOf(root);
    const result = await generate({ root });
    expect(result.ok).toBe(false);
    expect(hashOf(root)).toBe(before);
    expect(leftovers(root)).toEqual([]);
  });

  it("a failure while printing", async () => {
    const root = await fixtureProject();
    bumpLocksmith(root);
    const before = hashOf(root);
    const failing = () => {
      throw new Error("printing failed");
    };
    await expect(generate({ root, print: failing })).rejects.toThrow("printing failed");
    expect(hashOf(root)).toBe(before);
    expect(leftovers(root)).toEqual([]);
  });
});

describe("the lock", () => {
  const LOCKED =
    /another `npm run generate` \(pid (\d+)\) is writing generated\/; wait for it or, if no such process runs, remove \S*\.generated\.lock/;

  it("a held lock stops generate with a message naming it, and the tree is left as it is", async () => {
    const root = await fixtureProject();
    bumpLocksmith(root);
    writeLock(root, process.pid);
    const lock = readFileSync(join(root, LOCK_FILE), "utf8");
    const before = hashOf(root);
    const result = runCli(["generate", "--root", root]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(LOCKED);
    expect(result.stderr.match(LOCKED)![1]).toBe(String(process.pid));
    expect(result.stderr).not.toContain("    at "); // a message, not a stack trace
    expect(hashOf(root)).toBe(before);
    expect(readFileSync(join(root, LOCK_FILE), "utf8")).toBe(lock); // still the holder's
  });

  it("a lock that cannot be read counts as held while it is fresh", async () => {
    const root = await oldTree();
    writeFileSync(join(root, LOCK_FILE), "");
    await expect(writeTree(root, NEW)).rejects.toThrow(TreeLockedError);
    await expect(writeTree(root, NEW)).rejects.toThrow(/\(pid unknown\)/);
  });

  it("a lock that cannot be read and is older than a few seconds is stale", async () => {
    const root = await oldTree();
    writeFileSync(join(root, LOCK_FILE), "");
    utimesSync(join(root, LOCK_FILE), PAST, PAST);
    const result = await writeTree(root, NEW);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^took over \S*\.generated\.lock, which could not be read as a lock/),
    ]);
    expect(leftovers(root)).toEqual([]);
  });

  it("is created whole: written beside, then linked; what a killed run left beside is removed", async () => {
    const root = await oldTree();
    const steps: string[] = [];
    await writeTree(root, OLD, { beforeStep: (s) => steps.push(s) });
    expect(steps).toEqual(["create .generated.lock"]);
    // A run killed after writing its lock beside, before linking it: the file is not a lock.
    writeFileSync(join(root, `${LOCK_FILE}.${deadPid()}.tmp`), JSON.stringify({ pid: 1 }));
    const result = await writeTree(root, NEW);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^removed \.generated\.lock\.\d+\.tmp, left by an interrupted run$/),
    ]);
    expect(leftovers(root)).toEqual([]);
  });

  it("a lock left by a dead process is taken over with a warning", async () => {
    const root = await fixtureProject();
    bumpLocksmith(root);
    const pid = deadPid();
    writeLock(root, pid);
    const result = runCli(["generate", "--root", root]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(`^warning: took over \\S*\\.generated\\.lock left by pid ${pid} `, "m"),
    );
    expect(readFileSync(join(root, "generated/locksmith.nix"), "utf8")).toContain("0.2.1");
    expect(leftovers(root)).toEqual([]);
  });

  it("concurrent runs end with the tree a single run writes", async () => {
    const single = await fixtureProject();
    bumpLocksmith(single);
    expect(runCli(["generate", "--root", single]).status).toBe(0);
    const root = await fixtureProject();
    bumpLocksmith(root);
    const runs = await Promise.all([1, 2, 3].map(() => cliAsync(["generate", "--root", root])));
    expect(runs.some((r) => r.status === 0)).toBe(true);
    for (const r of runs) {
      if (r.status !== 0) {
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(LOCKED);
      }
    }
    expect(hashOf(root)).toBe(hashOf(single));
    expect(leftovers(root)).toEqual([]);
  });
});

function cliAsync(args: string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(REPO, "bin/nixgen.mjs"), ...args], {
      cwd: REPO,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => done({ status: status ?? -1, stderr }));
  });
}

describe("check: what is stale, as a diff", () => {
  it("summarises each stale file, then shows its unified diff", async () => {
    const root = await fixtureProject();
    bumpLocksmith(root);
    rmSync(join(root, "generated/dockerImages/pulled/kubernetesBaseImage.nix"));
    const before = hashOf(root);
    const result = runCli(["check", "--root", root]);
    expect(result.status).toBe(1);
    const lines = result.stderr.split("\n");
    const summary = lines.indexOf("generated/ is stale; run `npm run generate`:");
    expect(lines.slice(summary + 1, summary + 3)).toEqual([
      expect.stringMatching(
        /^ {2}missing generated\/dockerImages\/pulled\/kubernetesBaseImage\.nix \(\+\d+ -0\)$/,
      ),
      expect.stringMatching(/^ {2}changed generated\/locksmith\.nix \(\+[1-9]\d* -[1-9]\d*\)$/),
    ]);
    expect(lines[summary + 3]).toBe("");
    expect(result.stderr).toContain(
      "--- /dev/null\n+++ generated/dockerImages/pulled/kubernetesBaseImage.nix\n@@ -0,0 +1,",
    );
    expect(result.stderr).toContain(
      "--- generated/locksmith.nix\n+++ generated/locksmith.nix\n@@ ",
    );
    expect(result.stderr).toMatch(/^-.*0\.2\.0.*$/m);
    expect(result.stderr).toMatch(/^\+.*0\.2\.1.*$/m);
    expect(hashOf(root)).toBe(before);
    expect(leftovers(root)).toEqual([]);
  });

  it("caps a huge diff per file and in total", async () => {
    const root = await fixtureProject();
    const junk = Array.from({ length: 200 }, (_, i) => `# junk ${i}`).join("\n") + "\n";
    const dir = join(root, "generated");
    // The manifest stays: it is what tells these files are the generator's, whatever they hold.
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((p) =>
      p.endsWith(".nix"),
    );
    expect(files.length * 60).toBeGreaterThan(400);
    for (const path of files) writeFileSync(join(dir, path), junk);
    const result = runCli(["check", "--root", root]);
    expect(result.status).toBe(1);
    const diff = result.stderr.split("\n").filter((l) => /^[-+ @]/.test(l) && !/^ {2}\w/.test(l));
    expect(diff.length).toBeLessThanOrEqual(400);
    expect(result.stderr).toMatch(/^\.\.\. \d+ more lines$/m);
    expect(result.stderr).toMatch(/^\.\.\. \d+ more lines \(\d+ more files\)$/m);
  });

  it("formats with the given limits", () => {
    const file = (path: string, lines: number): StaleText => ({
      path,
      state: "changed",
      current: "",
      wanted: Array.from({ length: lines }, (_, i) => `line ${i}\n`).join(""),
    });
    const out = formatStale([file("a.nix", 2), file("b.nix", 10), file("c.nix", 4)], {
      perFile: 6,
      total: 11,
    });
    expect(out).toEqual([
      "  changed generated/a.nix (+2 -0)",
      "  changed generated/b.nix (+10 -0)",
      "  changed generated/c.nix (+4 -0)",
      "",
      "--- generated/a.nix",
      "+++ generated/a.nix",
      "@@ -0,0 +1,2 @@",
      "+line 0",
      "+line 1",
      "--- generated/b.nix",
      "+++ generated/b.nix",
      "@@ -0,0 +1,10 @@",
      "+line 0",
      "+line 1",
      "+line 2",
      "... 7 more lines",
      "... 7 more lines (1 more files)",
    ]);
  });

  it("repairs an interrupted swap when no run holds the lock", async () => {
    const root = await fixtureProject();
    const before = hashOf(root);
    renameSync(join(root, "generated"), join(root, ".generated.previous"));
    const result = runCli(["check", "--root", root]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      "warning: restored generated/ from .generated.previous, left by an interrupted run",
    );
    expect(hashOf(root)).toBe(before);
    expect(leftovers(root)).toEqual([]);
  });

  it("only reports while another run holds the lock", async () => {
    const root = await fixtureProject();
    renameSync(join(root, "generated"), join(root, ".generated.previous"));
    writeLock(root, process.pid);
    const result = runCli(["check", "--root", root]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^warning: another `npm run generate` \(pid \d+\) is writing generated\/; .*; compared generated\/ as it is now$/m,
    );
    expect(existsSync(join(root, "generated"))).toBe(false);
    expect(leftovers(root).sort()).toEqual([".generated.lock", ".generated.previous"]);
  });
});

describe("what stands in generated/'s way", () => {
  /** A tree written with OLD, then `change` made by hand; the problems of writing NEW. */
  async function problemsOf(change: (dir: string) => void, texts = NEW) {
    const root = await oldTree();
    change(join(root, "generated"));
    const before = hashOf(root);
    const error = await writeTree(root, texts).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TreeShapeError);
    expect(hashOf(root)).toBe(before);
    expect(leftovers(root)).toEqual([]);
    // check sees the same problems, and writes nothing either
    await expect(diffTree(root, texts)).rejects.toThrow(TreeShapeError);
    expect(hashOf(root)).toBe(before);
    return (error as TreeShapeError).problems.map((p) => [p.code, p.path]);
  }

  it("a folder where the generator writes a file", async () => {
    const problems = await problemsOf((dir) => {
      mkdirSync(join(dir, "images/app.nix"), { recursive: true });
      writeFileSync(join(dir, "images/app.nix/mine"), "mine\n");
    });
    expect(problems).toEqual([["generated/not-a-file", "generated/images/app.nix"]]);
  });

  it("a file where the generator needs a folder", async () => {
    const problems = await problemsOf((dir) => writeFileSync(join(dir, "images"), "mine\n"));
    expect(problems).toEqual([["generated/not-a-folder", "generated/images"]]);
  });

  it("a file the user made where a new descriptor starts producing one", async () => {
    const problems = await problemsOf((dir) => {
      mkdirSync(join(dir, "images"));
      writeFileSync(join(dir, "images/app.nix"), "my own notes\n");
    });
    expect(problems).toEqual([["generated/hand-made-file", "generated/images/app.nix"]]);
  });

  it("a hand-made file that already holds what would be written is taken over", async () => {
    const root = await oldTree();
    mkdirSync(join(root, "generated/images"));
    writeFileSync(join(root, "generated/images/app.nix"), NEW.get("images/app.nix")!);
    const result = await writeTree(root, NEW);
    expect(result.unchanged).toBe(2); // keep.nix and images/app.nix
    const manifest = readFileSync(join(root, "generated/.manifest"), "utf8");
    expect(manifest.split("\n")).toContain("images/app.nix");
  });

  it("a file with the generated header is the generator's, listed or not", async () => {
    const root = await oldTree();
    mkdirSync(join(root, "generated/images"));
    writeFileSync(
      join(root, "generated/images/app.nix"),
      "# Generated by nixpkgs-cloudwatt from x.\n",
    );
    await writeTree(root, NEW);
    expect(readFileSync(join(root, "generated/images/app.nix"), "utf8")).toBe(
      NEW.get("images/app.nix"),
    );
  });

  it("generate and check report it as an error naming the path, not a stack trace", async () => {
    const root = await fixtureProject();
    bumpLocksmith(root);
    rmSync(join(root, "generated/locksmith.nix"));
    mkdirSync(join(root, "generated/locksmith.nix"));
    const before = hashOf(root);
    for (const command of ["generate", "check"]) {
      const result = runCli([command, "--root", root]);
      expect(result.status, command).toBe(2);
      expect(result.stderr).toMatch(
        /^generated\/locksmith\.nix: error\[generated\/not-a-file\] is a folder, where the generator writes a file$/m,
      );
      expect(result.stderr).not.toContain("    at ");
      expect(hashOf(root)).toBe(before);
    }
  });

  it("a file where docs/ should be: an error before generated/ is touched", async () => {
    const root = await fixtureProject();
    bumpLocksmith(root);
    rmSync(join(root, "docs"), { recursive: true });
    writeFileSync(join(root, "docs"), "mine\n");
    const before = hashOf(root);
    const result = await generate({ root });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ["generated/write-failed", "docs"],
    ]);
    expect(hashOf(root)).toBe(before);
    expect(readFileSync(join(root, "docs"), "utf8")).toBe("mine\n");
  });

  it("check reports a file the generator did not write, as generate does", async () => {
    const root = await fixtureProject();
    writeFileSync(join(root, "generated/notes.txt"), "mine\n");
    for (const command of ["check", "generate"]) {
      const result = runCli([command, "--root", root]);
      expect(result.status, command).toBe(0);
      expect(result.stderr).toContain(
        "warning: generated/notes.txt was not written by the generator; left in place",
      );
    }
    expect(readFileSync(join(root, "generated/notes.txt"), "utf8")).toBe("mine\n");
  });
});

/** Whether tests can run a command as another user (the read-only folders below need one). */
const canDropPrivileges =
  process.getuid?.() === 0 && spawnSync("setpriv", ["--version"]).status === 0;

describe.runIf(canDropPrivileges)("permissions, as a user who is not root", () => {
  const NOBODY = 65534;

  /** The CLI as user nobody, with a home of its own (Nix reads it). */
  function asNobody(args: string[]) {
    const home = tempDir("nixgen-home-");
    spawnSync("chown", [String(NOBODY), home]);
    const result = spawnSync(
      "setpriv",
      [
        `--reuid=${NOBODY}`,
        `--regid=${NOBODY}`,
        "--clear-groups",
        process.execPath,
        join(REPO, "bin/nixgen.mjs"),
        ...args,
      ],
      { cwd: REPO, encoding: "utf8", env: { ...process.env, HOME: home } },
    );
    return { status: result.status ?? -1, stderr: result.stderr };
  }

  async function nobodysRepo(): Promise<string> {
    const root = await fixtureProject();
    spawnSync("chown", ["-R", String(NOBODY), root]);
    return root;
  }

  it("a read-only folder inside generated/ does not stop generate, again and again", async () => {
    const root = await nobodysRepo();
    for (const version of ["0.2.1", "0.2.2"]) {
      spawnSync("chmod", [
        "a-w",
        join(root, "generated/dockerImages"),
        join(root, "generated/lib"),
      ]);
      edit(root, "packages/locksmith.yaml", (t) =>
        t.replace(/version: 0\.2\.\d/, `version: ${version}`),
      );
      const result = asNobody(["generate", "--root", root]);
      expect(result.status, result.stderr).toBe(0);
      expect(leftovers(root)).toEqual([]);
      expect(readFileSync(join(root, "generated/locksmith.nix"), "utf8")).toContain(version);
    }
    expect(asNobody(["check", "--root", root]).status).toBe(0);
  });

  it("a project folder that cannot be written: generate says so, check still compares", async () => {
    const root = await nobodysRepo();
    bumpLocksmith(root);
    const before = hashOf(root);
    spawnSync("chmod", ["a-w", root]);
    const generated = asNobody(["generate", "--root", root]);
    expect(generated.status).toBe(2);
    expect(generated.stderr).toMatch(
      /error\[generated\/write-failed\] could not be written: EACCES/,
    );
    expect(generated.stderr).not.toContain("    at ");
    const check = asNobody(["check", "--root", root]);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain("changed generated/locksmith.nix");
    spawnSync("chmod", ["u+w", root]);
    expect(hashOf(root)).toBe(before);
  });

  it("a descriptor, a Nix file or a folder that cannot be read is an error naming it", async () => {
    const root = await nobodysRepo();
    const [descriptor] = fg.sync("packages/**/*.yaml", { cwd: root });
    const [nixFile] = fg.sync("packages/**/*.nix", { cwd: root });
    mkdirSync(join(root, "packages/closed"));
    spawnSync("chown", [String(NOBODY), join(root, "packages/closed")]);
    spawnSync("chmod", ["000", join(root, descriptor!), join(root, nixFile!)]);
    spawnSync("chmod", ["000", join(root, "packages/closed")]);
    const result = asNobody(["generate", "--root", root]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "packages/closed: error[path/unreadable] this folder cannot be read (its permissions)\n",
    );
    expect(result.stderr).toContain(
      `${descriptor}: error[path/unreadable] cannot be read (EACCES)\n`,
    );
    expect(result.stderr).toContain(`${nixFile}: error[nixfile/unreadable] `);
    expect(result.stderr).not.toContain("    at ");
  });

  it("a previous tree that cannot be removed: a warning with the way out, and an error when it blocks", async () => {
    const root = await nobodysRepo();
    // Made by root inside the user's previous tree: the user can neither remove nor chmod it.
    mkdirSync(join(root, ".generated.previous/sub"), { recursive: true });
    writeFileSync(join(root, ".generated.previous/sub/file"), "x\n");
    spawnSync("chown", [String(NOBODY), join(root, ".generated.previous")]);
    const check = asNobody(["check", "--root", root]);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stderr).toMatch(
      /^warning: could not remove \.generated\.previous \(.*\); remove it yourself: chmod -R u\+w \.generated\.previous && rm -rf \.generated\.previous$/m,
    );
    bumpLocksmith(root);
    spawnSync("chown", [String(NOBODY), join(root, "packages/locksmith.yaml")]);
    const blocked = asNobody(["generate", "--root", root]);
    expect(blocked.status).toBe(2);
    expect(blocked.stderr).toMatch(/^\.generated\.previous: error\[generated\/previous-left\] /m);
    expect(blocked.stderr).not.toContain("    at ");
    rmSync(join(root, ".generated.previous"), { recursive: true });
    expect(asNobody(["generate", "--root", root]).status).toBe(0);
  });
});
