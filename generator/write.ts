// Stage 7, write: replace generated/ with the printed files, all at once or not at all.
//
// The new tree is built beside generated/ in a staging directory: unchanged files, and files the
// generator never wrote, are hard-linked from the current tree (same inode, same mtime); changed
// and new files are written fresh; files the previous manifest lists and the generator no longer
// produces are left out (the only deletion). Two renames then swap the trees. Node has no atomic
// directory exchange, so an interrupted swap is finished or undone by `recover`, which every run
// calls first. A lock file keeps two runs from writing at the same time.

import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import { link, mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative } from "node:path";

export const GENERATED_DIR = "generated";
export const MANIFEST = ".manifest";
export const LOCK_FILE = ".generated.lock";
export const PREVIOUS_DIR = ".generated.previous";
const STAGING_PREFIX = ".generated.staging-";
const MANIFEST_HEADER = [
  "# Files written by `npm run generate` (one per line). Do not edit.",
  "# A file listed here that the generator no longer produces is removed on the next run.",
];

export interface StaleFile {
  readonly path: string;
  readonly state: "changed" | "missing" | "extra";
}

/** A stale file with both texts ("" for the side where the file does not exist). */
export interface StaleText extends StaleFile {
  /** What generated/ holds now. */
  readonly current: string;
  /** What `generate` would write. */
  readonly wanted: string;
}

export interface TreeDiff {
  readonly stale: readonly StaleText[];
  readonly warnings: readonly string[];
}

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
}

/** Another run holds the lock. */
export class TreeLockedError extends Error {
  override readonly name = "TreeLockedError";
}

/** The printed files plus the manifest naming them. */
export function withManifest(texts: ReadonlyMap<string, string>): Map<string, string> {
  const paths = [...texts.keys()].sort();
  const manifest = [...MANIFEST_HEADER, ...paths].join("\n") + "\n";
  return new Map([...texts, [MANIFEST, manifest]]);
}

// ---------------------------------------------------------------------------------------------
// Reading

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "ENOENT";
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

async function previousManifest(dir: string): Promise<string[]> {
  const text = (await readIfExists(join(dir, MANIFEST))) ?? "";
  return text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}

interface Listing {
  readonly files: string[];
  /** Empty directories (someone made them; they are kept like unknown files). */
  readonly emptyDirs: string[];
}

/** Every file under `dir` (symbolic links count as files), or undefined when `dir` is absent. */
async function listTree(dir: string): Promise<Listing | undefined> {
  if (!(await exists(dir))) return undefined;
  const listing: Listing = { files: [], emptyDirs: [] };
  const walk = async (prefix: string): Promise<void> => {
    const entries = await readdir(join(dir, prefix), { withFileTypes: true });
    if (entries.length === 0 && prefix !== "") listing.emptyDirs.push(prefix);
    for (const entry of entries) {
      const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else listing.files.push(path);
    }
  };
  await walk("");
  listing.files.sort();
  return listing;
}

// ---------------------------------------------------------------------------------------------
// Filesystem steps: every change goes through here, announced to the test hook first.

interface Steps {
  mkdir(path: string): Promise<void>;
  write(path: string, text: string): Promise<void>;
  link(from: string, to: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Create `path` holding `text`; false when it already exists. */
  create(path: string, text: string): Promise<boolean>;
}

function steps(root: string, hook: (step: string) => void = () => {}): Steps {
  const announce = (op: string, ...paths: string[]) =>
    hook(`${op} ${paths.map((p) => relative(root, p)).join(" -> ")}`);
  return {
    mkdir: async (path) => {
      announce("mkdir", path);
      await mkdir(path);
    },
    write: async (path, text) => {
      announce("write", path);
      await writeFile(path, text, { flag: "wx" });
    },
    link: async (from, to) => {
      announce("link", from, to);
      await link(from, to);
    },
    rename: async (from, to) => {
      announce("rename", from, to);
      await rename(from, to);
    },
    remove: async (path) => {
      announce("remove", path);
      await rm(path, { recursive: true, force: true });
    },
    create: async (path, text) => {
      announce("create", path);
      try {
        await writeFile(path, text, { flag: "wx" });
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw error;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The lock: `.generated.lock` in the project root, created exclusively, naming its holder.

interface LockHolder {
  /** Undefined when the file cannot be read as a lock (say, a holder killed while writing it). */
  readonly pid?: number;
  readonly started?: string;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH"; // EPERM: runs, as another user
  }
}

async function readLock(root: string): Promise<LockHolder | undefined> {
  const text = await readIfExists(join(root, LOCK_FILE));
  if (text === undefined) return undefined;
  try {
    const data = JSON.parse(text) as { pid?: unknown; started?: unknown };
    if (typeof data.pid !== "number" || !Number.isInteger(data.pid) || data.pid <= 0) return {};
    return { pid: data.pid, started: typeof data.started === "string" ? data.started : "?" };
  } catch {
    return {};
  }
}

const isHeld = (holder: LockHolder) => holder.pid === undefined || isRunning(holder.pid);

/** A path as the user should type it: relative to the working directory when inside it. */
function shown(root: string, name: string): string {
  const path = relative(process.cwd(), join(root, name));
  return path.startsWith("..") || isAbsolute(path) ? join(root, name) : path;
}

function lockedMessage(root: string, holder: LockHolder): string {
  const pid = holder.pid === undefined ? "pid unknown" : `pid ${holder.pid}`;
  return (
    `another \`npm run generate\` (${pid}) is writing ${GENERATED_DIR}/; wait for it or, ` +
    `if no such process runs, remove ${shown(root, LOCK_FILE)}`
  );
}

/** Take the lock, or throw TreeLockedError. Returns warnings (a stale lock taken over). */
async function takeLock(root: string, fs: Steps): Promise<string[]> {
  const path = join(root, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, started: new Date().toISOString() }) + "\n";
  const warnings: string[] = [];
  // A few tries: the holder may release, or a dead holder's lock be removed, between two steps.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await fs.create(path, mine)) return warnings;
    const holder = await readLock(root);
    if (holder === undefined) continue;
    if (isHeld(holder)) throw new TreeLockedError(lockedMessage(root, holder));
    // Its process is gone. Two runs seeing the same stale lock at the same instant could both
    // remove it; the exclusive create right after still lets only one of them through.
    warnings.push(
      `took over ${shown(root, LOCK_FILE)} left by pid ${holder.pid} ` +
        `(started ${holder.started}), which no longer runs`,
    );
    await fs.remove(path);
  }
  throw new TreeLockedError(lockedMessage(root, (await readLock(root)) ?? {}));
}

/** Remove the lock if it is still ours (someone may have removed it by hand meanwhile). */
async function releaseLock(root: string): Promise<void> {
  const holder = await readLock(root);
  if (holder?.pid === process.pid) await rm(join(root, LOCK_FILE), { force: true });
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
      await fs.remove(previous);
      warnings.push(`removed ${PREVIOUS_DIR}, left by an interrupted run`);
    } else {
      await fs.rename(previous, dir);
      warnings.push(`restored ${GENERATED_DIR}/ from ${PREVIOUS_DIR}, left by an interrupted run`);
    }
  }
  for (const name of await leftoverStaging(root)) {
    await fs.remove(join(root, name));
    if (stagingPid(name) !== process.pid) {
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
async function recoverIfIdle(root: string): Promise<string[]> {
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
  readonly emptyDirs: string[];
}

async function planTree(dir: string, texts: ReadonlyMap<string, string>): Promise<Plan> {
  const wanted = withManifest(texts);
  const listing = await listTree(dir);
  const before = new Set(await previousManifest(dir));
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [path, text] of wanted) {
    const same = listing !== undefined && (await readIfExists(join(dir, path))) === text;
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
    await fs.remove(previous);
    return [];
  } catch (error) {
    // The new tree is in place; what is left is garbage that the next run removes.
    return [`could not remove ${PREVIOUS_DIR} (${(error as Error).message}); the next run will`];
  }
}

/** Bring generated/ in line with `texts`, all at once; nothing changes when nothing differs. */
export async function writeTree(
  root: string,
  texts: ReadonlyMap<string, string>,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const fs = steps(root, options.beforeStep);
  const warnings = await takeLock(root, fs);
  try {
    warnings.push(...(await repair(root, fs)));
    const dir = join(root, GENERATED_DIR);
    const plan = await planTree(dir, texts);
    if (plan.written.length > 0 || plan.removed.length > 0) {
      const staging = join(root, `${STAGING_PREFIX}${process.pid}`);
      await buildStaging(dir, staging, plan, fs);
      warnings.push(...(await swap(root, staging, plan, fs)));
    }
    const { written, removed, unknown } = plan;
    return { written, removed, unchanged: plan.unchanged.length, unknown, warnings };
  } catch (error) {
    // Put the previous tree back if the swap was cut short, and drop this run's staging.
    await repair(root, steps(root)).catch(() => undefined);
    throw error;
  } finally {
    await releaseLock(root);
  }
}

// ---------------------------------------------------------------------------------------------
// Checking

/** What differs between generated/ and the files the generator would write, with both texts. */
export async function diffTree(
  root: string,
  texts: ReadonlyMap<string, string>,
): Promise<TreeDiff> {
  const warnings = await recoverIfIdle(root);
  const dir = join(root, GENERATED_DIR);
  const wanted = withManifest(texts);
  const stale: StaleText[] = [];
  for (const [path, text] of wanted) {
    const current = await readIfExists(join(dir, path));
    if (current === undefined) stale.push({ path, state: "missing", current: "", wanted: text });
    else if (current !== text) stale.push({ path, state: "changed", current, wanted: text });
  }
  for (const path of await previousManifest(dir)) {
    if (wanted.has(path)) continue;
    const current = await readIfExists(join(dir, path));
    if (current !== undefined) stale.push({ path, state: "extra", current, wanted: "" });
  }
  return { stale: stale.sort((a, b) => (a.path < b.path ? -1 : 1)), warnings };
}

/** The stale files alone, without their texts. */
export async function compareTree(
  root: string,
  texts: ReadonlyMap<string, string>,
): Promise<StaleFile[]> {
  return (await diffTree(root, texts)).stale.map(({ path, state }) => ({ path, state }));
}

export interface DiffLimits {
  readonly perFile: number;
  readonly total: number;
}

/** The unified diff of one stale file, as lines (the two file headers first). */
function patchLines(file: StaleText): string[] {
  const name = `${GENERATED_DIR}/${file.path}`;
  const patch = createTwoFilesPatch(
    file.state === "missing" ? "/dev/null" : name,
    file.state === "extra" ? "/dev/null" : name,
    file.current,
    file.wanted,
    undefined,
    undefined,
    { context: 3, headerOptions: FILE_HEADERS_ONLY },
  );
  return patch.split("\n").slice(0, -1); // the patch ends with a newline
}

function lineCounts(lines: readonly string[]): string {
  const body = lines.slice(2);
  const added = body.filter((l) => l.startsWith("+")).length;
  const removed = body.filter((l) => l.startsWith("-")).length;
  return `+${added} -${removed}`;
}

/**
 * The report of `check`: a summary line per stale file, then the unified diff of each, capped
 * (per file and in total) so that a large change stays readable.
 */
export function formatStale(
  stale: readonly StaleText[],
  limits: DiffLimits = { perFile: 60, total: 400 },
): string[] {
  const patches = stale.map((file) => ({ file, lines: patchLines(file) }));
  const out = patches.map(
    ({ file, lines }) =>
      `  ${file.state.padEnd(7)} ${GENERATED_DIR}/${file.path} (${lineCounts(lines)})`,
  );
  out.push("");
  let budget = limits.total;
  for (const [index, { lines }] of patches.entries()) {
    if (budget <= 0) {
      const rest = patches.slice(index).reduce((n, p) => n + p.lines.length, 0);
      out.push(`... ${rest} more lines (${patches.length - index} more files)`);
      break;
    }
    const shownLines = Math.min(lines.length, limits.perFile, budget);
    out.push(...lines.slice(0, shownLines));
    if (shownLines < lines.length) out.push(`... ${lines.length - shownLines} more lines`);
    budget -= shownLines;
  }
  return out;
}
