// Stage 7, write: bring generated/ in line with the printed files. Only changed files are
// rewritten (each through a temporary file and a rename, so none is ever half-written); files
// the generator wrote before and no longer produces are removed, as listed in the manifest; files
// it never wrote are left alone and reported.

import { mkdir, readFile, readdir, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export const GENERATED_DIR = "generated";
export const MANIFEST = ".manifest";
const MANIFEST_HEADER = [
  "# Files written by `npm run generate` (one per line). Do not edit.",
  "# A file listed here that the generator no longer produces is removed on the next run.",
];

export interface StaleFile {
  readonly path: string;
  readonly state: "changed" | "missing" | "extra";
}

export interface WriteResult {
  readonly written: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
  /** Files under generated/ that the generator did not write. */
  readonly unknown: readonly string[];
}

/** The printed files plus the manifest naming them. */
export function withManifest(texts: ReadonlyMap<string, string>): Map<string, string> {
  const paths = [...texts.keys()].sort();
  const manifest = [...MANIFEST_HEADER, ...paths].join("\n") + "\n";
  return new Map([...texts, [MANIFEST, manifest]]);
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function previousManifest(dir: string): Promise<string[]> {
  const text = (await readIfExists(join(dir, MANIFEST))) ?? "";
  return text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(dir, prefix), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await listFiles(dir, path)));
    else files.push(path);
  }
  return files.sort();
}

/** What differs between generated/ and the files the generator would write. */
export async function compareTree(
  root: string,
  texts: ReadonlyMap<string, string>,
): Promise<StaleFile[]> {
  const dir = join(root, GENERATED_DIR);
  const wanted = withManifest(texts);
  const stale: StaleFile[] = [];
  for (const [path, text] of wanted) {
    const current = await readIfExists(join(dir, path));
    if (current === undefined) stale.push({ path, state: "missing" });
    else if (current !== text) stale.push({ path, state: "changed" });
  }
  for (const path of await previousManifest(dir)) {
    if (!wanted.has(path) && (await readIfExists(join(dir, path))) !== undefined) {
      stale.push({ path, state: "extra" });
    }
  }
  return stale.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export async function writeTree(
  root: string,
  texts: ReadonlyMap<string, string>,
): Promise<WriteResult> {
  const dir = join(root, GENERATED_DIR);
  const wanted = withManifest(texts);
  const before = await previousManifest(dir);
  const written: string[] = [];
  let unchanged = 0;
  // The manifest goes last: until it is written, the previous one still lists what to clean up.
  const order = [...wanted.keys()].filter((p) => p !== MANIFEST).concat(MANIFEST);
  for (const path of order) {
    const text = wanted.get(path)!;
    const target = join(dir, path);
    if ((await readIfExists(target)) === text) {
      unchanged++;
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.tmp-${process.pid}`;
    await writeFile(temporary, text);
    await rename(temporary, target);
    written.push(path);
  }
  const removed: string[] = [];
  for (const path of before) {
    if (wanted.has(path)) continue;
    await rm(join(dir, path), { force: true });
    await removeEmptyParents(dir, path);
    removed.push(path);
  }
  const known = new Set([...wanted.keys(), ...before]);
  const unknown = (await listFiles(dir)).filter((p) => !known.has(p));
  return { written, removed, unchanged, unknown };
}

async function removeEmptyParents(dir: string, path: string): Promise<void> {
  for (let parent = dirname(path); parent !== "."; parent = dirname(parent)) {
    try {
      await rmdir(join(dir, parent));
    } catch {
      return; // not empty (or already gone): stop climbing
    }
  }
}
