// The record of runs that left a project up to date, so that the next `generate` or `check` of an
// unchanged project answers without loading the pipeline: most runs (the pre-commit hook, a
// `generate` after one that wrote) change nothing, and redoing the whole job costs seconds at
// thousands of descriptors.
//
// A record holds, for one project, a digest of everything the pipeline reads (the generator's own
// code, templates and schemas, the nix-instantiate it would start, every entry and byte under
// packages/), a digest of everything it compares (every entry and byte under generated/, and the
// descriptor reference), and what that run reported (its diagnostics, which are warnings only,
// the texts they point into, the files it did not write). The pipeline is deterministic: the same
// inputs and the same tree give the same answer, so the record gives it. Anything else (a byte
// changed on either side, a lock or an interrupted run in the project root, a folder that cannot
// be read) is a miss, and the pipeline runs. The file is node_modules/.cache/nixgen/runs.json
// (NIXGEN_RUN_RECORD names another), for the last few projects; NIXGEN_CACHE=0 turns it off.

import { createHash, type Hash } from "node:crypto";
import { readdirSync, readFileSync, type Dirent } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR, cachesOff, readCacheText, writeCacheText } from "./cache-file.ts";
import { generatorDigest } from "./code-digest.ts";
import type { Diagnostic, Sources } from "./diagnostics.ts";
import { nixIdentity } from "./nix-identity.ts";
import { CATALOG_PATH, DOCS_PATH, GENERATED_DIR, PACKAGES_DIR, RUN_FILES_PREFIX } from "./paths.ts";
import type { StaleText } from "./stale.ts";

export const RUN_RECORD = join(CACHE_DIR, "runs.json");
/** Files beside packages/ that the pipeline reads. */
const ROOT_INPUTS = ["flake.nix", "flake.lock"];
/** Projects remembered: a few checkouts or worktrees, not every temporary folder a test makes. */
const KEPT = 8;

/** What `generate` and `check` report, whether the pipeline ran or a record answered. */
export interface RunSummary {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: Sources;
  readonly warnings: readonly string[];
  /** Files under generated/ that the generator did not write (kept as they are). */
  readonly unknown: readonly string[];
  /** How many files the generator writes, its manifest aside. */
  readonly fileCount: number;
  readonly stale: readonly StaleText[];
  readonly write?: {
    readonly written: readonly string[];
    readonly removed: readonly string[];
    readonly unchanged: number;
  };
  readonly docs: { readonly path: string; readonly stale: boolean };
  readonly catalog: { readonly path: string; readonly stale: boolean };
  /** Answered by the record of an earlier run, the pipeline not run. */
  readonly fromRecord?: boolean;
}

interface Run {
  readonly root: string;
  readonly inputs: string;
  readonly outputs: string;
  readonly fileCount: number;
  readonly unknown: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: readonly (readonly [string, string])[];
}

/** Adds every entry under `dir` (sorted, links not followed) and every file's bytes to `hash`. */
function hashTree(hash: Hash, dir: string, prefix = ""): boolean {
  let entries: Dirent[];
  try {
    entries = readdirSync(join(dir, prefix), { withFileTypes: true });
  } catch {
    return false;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    const kind = entry.isDirectory()
      ? "dir"
      : entry.isSymbolicLink()
        ? "link"
        : entry.isFile()
          ? "file"
          : "other";
    hash.update(`${kind}\0${path}\0`);
    if (kind === "dir") {
      if (!hashTree(hash, dir, path)) return false;
    } else if (kind !== "other" && !hashFile(hash, join(dir, path))) {
      return false;
    }
  }
  return true;
}

function hashFile(hash: Hash, path: string): boolean {
  try {
    const bytes = readFileSync(path); // through a link: what the pipeline would read
    hash.update(`${bytes.length}\0`).update(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A digest of everything the pipeline reads, or undefined when part of it cannot be read. */
export function inputsDigest(root: string): string | undefined {
  const hash = createHash("sha256");
  hash.update(`${generatorDigest()}\0${nixIdentity() ?? "no nix"}\0`);
  // The flake's inputs and lock are checked against the pins.
  for (const file of ROOT_INPUTS) {
    hash.update(`\0${file}\0`);
    if (!hashFile(hash, join(root, file))) hash.update("absent");
  }
  return hashTree(hash, join(root, PACKAGES_DIR)) ? hash.digest("hex") : undefined;
}

/**
 * A digest of everything the pipeline compares its output with, or undefined when the project
 * is not idle (a lock, a staging folder or a previous tree in its root) or part of it cannot be
 * read.
 */
export function outputsDigest(root: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return undefined;
  }
  if (names.some((name) => name.startsWith(RUN_FILES_PREFIX))) return undefined;
  const hash = createHash("sha256");
  if (names.includes(GENERATED_DIR) && !hashTree(hash, join(root, GENERATED_DIR))) {
    return undefined;
  }
  for (const doc of [DOCS_PATH, CATALOG_PATH]) {
    hash.update(`\0${doc}\0`);
    if (!hashFile(hash, join(root, doc))) hash.update("absent");
  }
  return hash.digest("hex");
}

const isText = (v: unknown): v is string => typeof v === "string";

/** A record as read back: only its shape is checked; its digests decide whether it applies. */
function isRun(value: unknown): value is Run {
  if (value === null || typeof value !== "object") return false;
  const r = value as Record<string, unknown>;
  return (
    isText(r.root) &&
    isText(r.inputs) &&
    isText(r.outputs) &&
    Number.isInteger(r.fileCount) &&
    Array.isArray(r.unknown) &&
    r.unknown.every(isText) &&
    Array.isArray(r.diagnostics) &&
    r.diagnostics.every((d) => d !== null && typeof d === "object") &&
    Array.isArray(r.sources) &&
    r.sources.every((s) => Array.isArray(s) && s.length === 2 && s.every(isText))
  );
}

export class RunRecords {
  private readonly runs: Run[] = [];
  /** Said when the file was there but could not be used. */
  readonly warnings: string[] = [];

  private constructor(readonly path: string) {}

  static get enabled(): boolean {
    return !cachesOff();
  }

  static open(path: string = process.env.NIXGEN_RUN_RECORD ?? RUN_RECORD): RunRecords {
    const records = new RunRecords(path);
    const text = RunRecords.enabled ? readCacheText(path) : undefined;
    if (text === undefined) return records;
    try {
      const stored = JSON.parse(text) as { runs?: unknown };
      if (!Array.isArray(stored.runs) || !stored.runs.every(isRun)) throw new Error("not runs");
      records.runs.push(...stored.runs);
    } catch {
      records.warnings.push(
        `the run record ${path} could not be read; ignored, and written again (it is safe to delete)`,
      );
    }
    return records;
  }

  /** What the last run over exactly these inputs and this tree reported, if there was one. */
  answer(
    root: string,
    inputs: string,
    outputs: string,
  ): Omit<RunSummary, "stale" | "write"> | undefined {
    const run = this.runs.find((r) => r.root === root);
    if (run === undefined || run.inputs !== inputs || run.outputs !== outputs) return undefined;
    return {
      ok: true,
      diagnostics: run.diagnostics,
      sources: new Map(run.sources),
      warnings: [],
      unknown: run.unknown,
      fileCount: run.fileCount,
      docs: { path: DOCS_PATH, stale: false },
      catalog: { path: CATALOG_PATH, stale: false },
      fromRecord: true,
    };
  }

  /** Remembers a run that left `root` up to date (newest first, a few projects). */
  save(root: string, inputs: string, outputs: string, summary: RunSummary): void {
    const files = new Set(summary.diagnostics.map((d) => d.file));
    const run: Run = {
      root,
      inputs,
      outputs,
      fileCount: summary.fileCount,
      unknown: summary.unknown,
      diagnostics: summary.diagnostics,
      sources: [...summary.sources].filter(([file]) => files.has(file)),
    };
    const runs = [run, ...this.runs.filter((r) => r.root !== root)].slice(0, KEPT);
    writeCacheText(this.path, JSON.stringify({ runs }));
  }
}
