// Check mode: what differs between generated/ and the files `generate` would write, with both
// texts, and the report `check` prints (a line per stale file, then unified diffs, capped).

import { createRequire } from "node:module";
import { GENERATED_DIR, readGenerated, survey } from "./generated-tree.ts";
import { recoverIfIdle, withManifest } from "./write.ts";

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
  /** Files under generated/ that the generator did not write (`generate` keeps them). */
  readonly unknown: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * What differs between generated/ and the files the generator would write, with both texts.
 * Throws TreeShapeError for what would stop `generate` (something of the user's in the way).
 */
export async function diffTree(
  root: string,
  texts: ReadonlyMap<string, string>,
  /** Paths whose text this run read from generated/ (the output cache): not read again. */
  known: ReadonlySet<string> = new Set(),
): Promise<TreeDiff> {
  const warnings = await recoverIfIdle(root);
  const wanted = withManifest(texts);
  const { listing, manifest: before } = await survey(root, wanted);
  const stale: StaleText[] = [];
  for (const [path, text] of wanted) {
    if (known.has(path) && listing?.entries.get(path) === "file") continue;
    const current = await readGenerated(root, listing, path);
    if (current === undefined) stale.push({ path, state: "missing", current: "", wanted: text });
    else if (current !== text) stale.push({ path, state: "changed", current, wanted: text });
  }
  for (const path of before) {
    if (wanted.has(path)) continue;
    const current = await readGenerated(root, listing, path);
    if (current !== undefined) stale.push({ path, state: "extra", current, wanted: "" });
  }
  const unknown = (listing?.files ?? []).filter((p) => !wanted.has(p) && !before.has(p));
  return { stale: stale.sort((a, b) => (a.path < b.path ? -1 : 1)), unknown, warnings };
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

/** The diff library, loaded only to show a stale file (it costs a tenth of a small run). */
const diffLibrary = () => createRequire(import.meta.url)("diff") as typeof import("diff");

/** The unified diff of one stale file, as lines (the two file headers first). */
function patchLines(file: StaleText): string[] {
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = diffLibrary();
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
