// Stage 7, write: replace generated/ with the printed files, all at once or not at all.
//
// The new tree is built beside generated/ in a staging directory: unchanged files, and files the
// generator never wrote, are hard-linked from the current tree (same inode, same mtime); changed
// and new files are written fresh; files the previous manifest lists and the generator no longer
// produces are left out (the only deletion). Two renames then swap the trees. Node has no atomic
// directory exchange, so an interrupted swap is finished or undone by `recover`, which every run
// calls first. A lock file keeps two runs from writing at the same time (lock.ts).

import { chmod, lstat, readdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import {
  GENERATED_DIR,
  MANIFEST,
  TreeShapeError,
  readGenerated,
  survey,
  writeFailure,
} from "./generated-tree.ts";
import {
  TreeLockedError,
  isHeld,
  isRunning,
  lockedMessage,
  readLock,
  releaseLock,
  takeLock,
} from "./lock.ts";
import { RUN_FILES_PREFIX } from "./paths.ts";
import { steps, type Steps } from "./steps.ts";

export {
  GENERATED_BY,
  GENERATED_DIR,
  MANIFEST,
  TreeShapeError,
  type TreeProblem,
} from "./generated-tree.ts";
export { LOCK_FILE, TreeLockedError } from "./lock.ts";
export const PREVIOUS_DIR = `${RUN_FILES_PREFIX}previous`;
const STAGING_PREFIX = `${RUN_FILES_PREFIX}staging-`;
const MANIFEST_HEADER = [
  "# Files written by `npm run generate` (one per line). Do not edit.",
  "# A file listed here that the generator no longer produces is removed on the next run.",
];

export interface WriteResult {
  readonly written: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
  /** Files under generated/ that the generator did not write (kept as they are). */
  readonly unknown: readonly string[];
  /** A stale lock taken over, an interrupted run repaired. */
  readonly warnings: readonly string[];
}

export interface WriteOptions {
  /**
   * Test hook, called before every filesystem step (mkdir, write, link, rename, removal) with
   * its description; throwing there simulates a failure, or a kill, at that step.
   */
  readonly beforeStep?: (step: string) => void;
  /** Paths whose text this run read from generated/ (the output cache): not read again. */
  readonly current?: ReadonlySet<string>;
}

/** The printed files plus the manifest naming them. */
export function withManifest(texts: ReadonlyMap<string, string>): Map<string, string> {
  const paths = [...texts.keys()].sort();
  const manifest = [...MANIFEST_HEADER, ...paths].join("\n") + "\n";
  return new Map([...texts, [MANIFEST, manifest]]);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Recovery: finish or undo what an interrupted run left behind.

function stagingPid(name: string): number | undefined {
  if (!name.startsWith(STAGING_PREFIX)) return undefined;
  const pid = Number(name.slice(STAGING_PREFIX.length));
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Staging directories of dead processes, and this process's own from an earlier failure. */
async function leftoverStaging(root: string): Promise<string[]> {
  return (await readdir(root)).filter((name) => {
    const pid = stagingPid(name);
    return pid !== undefined && (pid === process.pid || !isRunning(pid));
  });
}

async function hasLeftovers(root: string): Promise<boolean> {
  return (await exists(join(root, PREVIOUS_DIR))) || (await leftoverStaging(root)).length > 0;
}

const isPermissionError = (error: unknown): boolean =>
  ["EACCES", "EPERM"].includes((error as NodeJS.ErrnoException).code ?? "");

/**
 * Give the owner write access to every folder below `path`, so that its files can be removed.
 * Entries may vanish meanwhile (a removal that failed half-way may still be finishing).
 */
async function makeWritable(path: string): Promise<void> {
  try {
    const info = await lstat(path);
    if (!info.isDirectory()) return;
    await chmod(path, info.mode | 0o700);
    for (const entry of await readdir(path)) await makeWritable(join(path, entry));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/**
 * Remove a tree left behind. A folder made read-only inside it is made writable first; when even
 * that fails, the tree stays and a warning says how to remove it: garbage never stops a run.
 */
async function removeGarbage(root: string, path: string, fs: Steps): Promise<string[]> {
  try {
    await fs.remove(path);
    return [];
  } catch (error) {
    if (!isPermissionError(error)) throw error;
  }
  const name = relative(root, path);
  try {
    await makeWritable(path);
    await fs.remove(path);
    return [];
  } catch (error) {
    if (!isPermissionError(error)) throw error;
    return [
      `could not remove ${name} (${(error as Error).message}); ` +
        `remove it yourself: chmod -R u+w ${name} && rm -rf ${name}`,
    ];
  }
}

/**
 * The caller holds the lock. generated/ missing with a previous tree beside it: the run stopped
 * between the two renames, the previous tree is whole, put it back. Both present: the swap was
 * done, the previous tree is garbage. Staging directories of dead runs are garbage too.
 */
async function repair(root: string, fs: Steps): Promise<string[]> {
  const dir = join(root, GENERATED_DIR);
  const previous = join(root, PREVIOUS_DIR);
  const warnings: string[] = [];
  if (await exists(previous)) {
    if (await exists(dir)) {
      const problems = await removeGarbage(root, previous, fs);
      warnings.push(
        ...(problems.length > 0
          ? problems
          : [`removed ${PREVIOUS_DIR}, left by an interrupted run`]),
      );
    } else {
      await fs.rename(previous, dir);
      warnings.push(`restored ${GENERATED_DIR}/ from ${PREVIOUS_DIR}, left by an interrupted run`);
    }
  }
  for (const name of await leftoverStaging(root)) {
    const problems = await removeGarbage(root, join(root, name), fs);
    if (problems.length > 0) warnings.push(...problems);
    else if (stagingPid(name) !== process.pid) {
      warnings.push(`removed ${name}, left by an interrupted run`);
    }
  }
  return warnings;
}

/** Repair what an interrupted run left, under the lock. Returns what was done, as warnings. */
export async function recover(root: string): Promise<string[]> {
  const fs = steps(root);
  const warnings = await takeLock(root, fs);
  try {
    return [...warnings, ...(await repair(root, fs))];
  } finally {
    await releaseLock(root);
  }
}

/** Check mode: repair leftovers only when no run is writing (else just say so). */
export async function recoverIfIdle(root: string): Promise<string[]> {
  const holder = await readLock(root);
  if (holder !== undefined && isHeld(holder)) {
    return [`${lockedMessage(root, holder)}; compared ${GENERATED_DIR}/ as it is now`];
  }
  if (!(await hasLeftovers(root))) return [];
  try {
    return await recover(root);
  } catch (error) {
    if (error instanceof TreeLockedError) return [error.message];
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

interface Plan {
  readonly wanted: ReadonlyMap<string, string>;
  /** Whether generated/ exists now. */
  readonly present: boolean;
  readonly written: string[];
  readonly unchanged: string[];
  readonly removed: string[];
  readonly unknown: string[];
  readonly emptyDirs: readonly string[];
}

/** What the run changes; throws TreeShapeError when something the user made is in the way. */
async function planTree(
  root: string,
  texts: ReadonlyMap<string, string>,
  current: ReadonlySet<string>,
): Promise<Plan> {
  const wanted = withManifest(texts);
  const { listing, manifest: before } = await survey(root, wanted);
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [path, text] of wanted) {
    const same =
      (current.has(path) && listing?.entries.get(path) === "file") ||
      (await readGenerated(root, listing, path)) === text;
    (same ? unchanged : written).push(path);
  }
  const others = (listing?.files ?? []).filter((p) => !wanted.has(p));
  return {
    wanted,
    present: listing !== undefined,
    written,
    unchanged,
    removed: others.filter((p) => before.has(p)),
    unknown: others.filter((p) => !before.has(p)),
    emptyDirs: listing?.emptyDirs ?? [],
  };
}

/** The complete new tree in `staging`: kept files linked from `dir`, the others written. */
async function buildStaging(dir: string, staging: string, plan: Plan, fs: Steps): Promise<void> {
  await fs.mkdir(staging);
  const made = new Set<string>();
  const makeParents = async (path: string): Promise<void> => {
    const parent = dirname(path);
    if (parent === "." || made.has(parent)) return;
    await makeParents(parent);
    await fs.mkdir(join(staging, parent));
    made.add(parent);
  };
  for (const path of plan.emptyDirs) await makeParents(`${path}/.`);
  for (const path of [...plan.unchanged, ...plan.unknown]) {
    await makeParents(path);
    await fs.link(join(dir, path), join(staging, path));
  }
  for (const path of plan.written) {
    await makeParents(path);
    await fs.write(join(staging, path), plan.wanted.get(path)!);
  }
}

/** Swap the staging tree in. Returns warnings (a previous tree that could not be removed). */
async function swap(root: string, staging: string, plan: Plan, fs: Steps): Promise<string[]> {
  const dir = join(root, GENERATED_DIR);
  const previous = join(root, PREVIOUS_DIR);
  if (!plan.present) {
    await fs.rename(staging, dir);
    return [];
  }
  await fs.rename(dir, previous);
  await fs.rename(staging, dir); // between these two renames only `recover` knows what to do
  try {
    return await removeGarbage(root, previous, fs);
  } catch (error) {
    // The new tree is in place; what is left is garbage that the next run removes.
    return [`could not remove ${PREVIOUS_DIR} (${(error as Error).message}); the next run will`];
  }
}

/** The swap moves generated/ to PREVIOUS_DIR: a previous tree that could not be removed blocks it. */
function previousInTheWay(): TreeShapeError {
  return new TreeShapeError([
    {
      code: "generated/previous-left",
      path: PREVIOUS_DIR,
      message: `is left by an earlier run and could not be removed; ${GENERATED_DIR}/ cannot be replaced while it is there`,
      hint: `remove it yourself: chmod -R u+w ${PREVIOUS_DIR} && rm -rf ${PREVIOUS_DIR}`,
    },
  ]);
}

/** Bring generated/ in line with `texts`, all at once; nothing changes when nothing differs. */
export async function writeTree(
  root: string,
  texts: ReadonlyMap<string, string>,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const fs = steps(root, options.beforeStep);
  const warnings = await takeLock(root, fs).catch((error: unknown) => {
    throw writeFailure(root, error) ?? error;
  });
  try {
    warnings.push(...(await repair(root, fs)));
    const dir = join(root, GENERATED_DIR);
    const plan = await planTree(root, texts, options.current ?? new Set());
    if (plan.written.length > 0 || plan.removed.length > 0) {
      if (plan.present && (await exists(join(root, PREVIOUS_DIR)))) throw previousInTheWay();
      const staging = join(root, `${STAGING_PREFIX}${process.pid}`);
      await buildStaging(dir, staging, plan, fs);
      warnings.push(...(await swap(root, staging, plan, fs)));
    }
    const { written, removed, unknown } = plan;
    return { written, removed, unchanged: plan.unchanged.length, unknown, warnings };
  } catch (error) {
    // Put the previous tree back if the swap was cut short, and drop this run's staging.
    await repair(root, steps(root)).catch(() => undefined);
    throw writeFailure(root, error) ?? error;
  } finally {
    await releaseLock(root);
  }
}
