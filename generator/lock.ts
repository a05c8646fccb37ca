// The lock: `.generated.lock` in the project root, naming the process that writes generated/. It
// is created atomically with its content (steps.create), so a lock is either whole or absent; one
// left by a process that no longer runs, or one that cannot be read (left by hand, or by an older
// writer) after a few seconds, is stale and taken over with a warning.

import { readdir, readFile, rm, stat } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { GENERATED_DIR } from "./generated-tree.ts";
import { RUN_FILES_PREFIX } from "./paths.ts";
import { creatingSuffix, type Steps } from "./steps.ts";

export const LOCK_FILE = `${RUN_FILES_PREFIX}lock`;
/** An unreadable lock younger than this may be one being written by hand: wait for it. */
const UNREADABLE_GRACE_MS = 5000;

/** Another run holds the lock. */
export class TreeLockedError extends Error {
  override readonly name = "TreeLockedError";
}

interface LockHolder {
  /** Undefined when the file cannot be read as a lock. */
  readonly pid?: number;
  readonly started?: string;
  /** Milliseconds since the lock file was last written. */
  readonly age: number;
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH"; // EPERM: runs, as another user
  }
}

/** The holder of the lock, or undefined when there is no lock. */
export async function readLock(root: string): Promise<LockHolder | undefined> {
  const path = join(root, LOCK_FILE);
  let text: string;
  let age: number;
  try {
    [text, age] = await Promise.all([
      readFile(path, "utf8"),
      stat(path).then((s) => Date.now() - s.mtimeMs),
    ]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return { age: 0 }; // there, but not readable: held, as far as this process can tell
  }
  try {
    const data = JSON.parse(text) as { pid?: unknown; started?: unknown };
    if (typeof data.pid !== "number" || !Number.isInteger(data.pid) || data.pid <= 0) {
      return { age };
    }
    const started = typeof data.started === "string" ? data.started : "?";
    return { pid: data.pid, started, age };
  } catch {
    return { age };
  }
}

export const isHeld = (holder: LockHolder): boolean =>
  holder.pid === undefined ? holder.age < UNREADABLE_GRACE_MS : isRunning(holder.pid);

/** A path as the user should type it: relative to the working directory when inside it. */
export function shown(root: string, name: string): string {
  const path = relative(process.cwd(), join(root, name));
  return path.startsWith("..") || isAbsolute(path) ? join(root, name) : path;
}

export function lockedMessage(root: string, holder: Partial<LockHolder>): string {
  const pid = holder.pid === undefined ? "pid unknown" : `pid ${holder.pid}`;
  return (
    `another \`npm run generate\` (${pid}) is writing ${GENERATED_DIR}/; wait for it or, ` +
    `if no such process runs, remove ${shown(root, LOCK_FILE)}`
  );
}

/** Take the lock, or throw TreeLockedError. Returns warnings (a stale lock taken over). */
export async function takeLock(root: string, fs: Steps): Promise<string[]> {
  const path = join(root, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, started: new Date().toISOString() }) + "\n";
  const warnings = await removeDeadCreations(root);
  // A few tries: the holder may release, or a dead holder's lock be removed, between two steps.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await fs.create(path, mine)) return warnings;
    const holder = await readLock(root);
    if (holder === undefined) continue;
    if (isHeld(holder)) throw new TreeLockedError(lockedMessage(root, holder));
    // Its process is gone. Two runs seeing the same stale lock at the same instant could both
    // remove it; the exclusive create right after still lets only one of them through.
    warnings.push(
      holder.pid === undefined
        ? `took over ${shown(root, LOCK_FILE)}, which could not be read as a lock and is ${Math.round(holder.age / 1000)} s old`
        : `took over ${shown(root, LOCK_FILE)} left by pid ${holder.pid} ` +
            `(started ${holder.started}), which no longer runs`,
    );
    await fs.remove(path);
  }
  throw new TreeLockedError(lockedMessage(root, (await readLock(root)) ?? {}));
}

/** Remove the lock if it is still ours (someone may have removed it by hand meanwhile). */
export async function releaseLock(root: string): Promise<void> {
  const holder = await readLock(root);
  if (holder?.pid === process.pid) await rm(join(root, LOCK_FILE), { force: true });
}

/** Lock files a killed process wrote but never linked into place. */
async function removeDeadCreations(root: string): Promise<string[]> {
  const pattern = new RegExp(`^${LOCK_FILE.replaceAll(".", "\\.")}\\.(\\d+)\\.tmp$`);
  const dead = (await readdir(root)).filter((name) => {
    const pid = Number(pattern.exec(name)?.[1] ?? Number.NaN);
    return (
      Number.isInteger(pid) &&
      pid > 0 &&
      name === `${LOCK_FILE}${creatingSuffix(pid)}` &&
      (pid === process.pid || !isRunning(pid))
    );
  });
  await Promise.all(dead.map((name) => rm(join(root, name), { force: true })));
  return dead.map((name) => `removed ${name}, left by an interrupted run`);
}
