// Hand-written Nix files under packages/ are checked with `nix-instantiate --parse` before they are
// wired in, so a syntax error is reported with its position instead of at evaluation time. A Nix
// that cannot run at all (no binary, a broken installation) is one problem of the machine, not one
// per file.

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR, cachesOff, readCacheText, writeCacheText } from "./cache-file.ts";
import type { Diagnostic } from "./diagnostics.ts";
import { PACKAGES_DIR } from "./discover.ts";
import { nixIdentity } from "./nix-identity.ts";

/** Parsing needs no store: the dummy store spares the store's lock and database. */
const NIX_ARGS = ["--parse", "--store", "dummy://"];

/** Results by file and content, for runs in one process (a check of an unchanged file is free). */
const checked = new Map<string, Diagnostic | null>();

/**
 * Contents this Nix parsed in earlier runs, kept beside the generator (as the parse cache is):
 * parsing a file again with the same Nix can only succeed again, and sparing the process is a
 * tenth of a small run. Keyed by the nix-instantiate found on PATH (its real path, size and time).
 */
const PARSED_BEFORE = join(CACHE_DIR, "nix-parsed.json");

function parsedBefore(nix: string): Set<string> {
  try {
    const stored = JSON.parse(readCacheText(PARSED_BEFORE) ?? "{}") as {
      nix?: unknown;
      parsed?: unknown;
    };
    const valid = stored.nix === nix && Array.isArray(stored.parsed);
    return new Set(valid ? (stored.parsed as unknown[]).filter((d) => typeof d === "string") : []);
  } catch {
    return new Set(); // not readable as a record: the files are parsed
  }
}

const saveParsed = (nix: string, parsed: ReadonlySet<string>): void =>
  writeCacheText(PARSED_BEFORE, JSON.stringify({ nix, parsed: [...parsed] }));

/** One error per file Nix cannot parse; one diagnostic for the run when Nix itself cannot run. */
export async function checkNixSyntax(
  root: string,
  files: readonly string[],
): Promise<Diagnostic[]> {
  const keys = await Promise.all(files.map((file) => contentKey(root, file)));
  const nix = cachesOff() ? undefined : nixIdentity();
  const before = nix === undefined ? new Set<string>() : parsedBefore(nix);
  for (const key of keys) {
    if (digestOf(key) !== "unreadable" && before.has(digestOf(key))) checked.set(key, null);
  }
  const unchecked = files.filter((_, i) => !checked.has(keys[i]!));
  if (unchecked.length > 0) {
    const problem = await checkFiles(root, unchecked);
    if (problem !== undefined) return [problem];
    // This run's files only: the record does not grow with every version of every file.
    const parsed = new Set(keys.filter((k) => checked.get(k) === null).map(digestOf));
    if (nix !== undefined && [...parsed].some((d) => !before.has(d))) saveParsed(nix, parsed);
  }
  return files.flatMap((file, i) => {
    const result = checked.get(keys[i]!);
    return result === undefined || result === null ? [] : [{ ...result, file }];
  });
}

/** Parse `files`, recording each result; a problem of Nix itself is returned instead. */
async function checkFiles(root: string, files: readonly string[]): Promise<Diagnostic | undefined> {
  const keys = await Promise.all(files.map((file) => contentKey(root, file)));
  // One nix-instantiate for all files; only when it fails is each file parsed on its own, to
  // report every broken file rather than the first.
  const all = await runNix(root, files);
  if (all === "parsed") {
    for (const key of keys) checked.set(key, null);
    return undefined;
  }
  if (all.missing) return notInstalled(files.length);
  // Nix that fails on an empty expression fails for a reason of its own, not of a file.
  const probe = await runNix(root, ["--expr", "null"]);
  if (probe !== "parsed")
    return probe.missing ? notInstalled(files.length) : cannotRun(probe.stderr, files.length);
  const results = await Promise.all(files.map((file) => runNix(root, [file])));
  results.forEach((r, i) =>
    checked.set(keys[i]!, r === "parsed" ? null : parseError(files[i]!, r.stderr)),
  );
  return undefined;
}

async function contentKey(root: string, file: string): Promise<string> {
  let bytes: Buffer | undefined;
  try {
    bytes = readFileSync(`${root}/${file}`);
  } catch {
    bytes = undefined;
  }
  const digest =
    bytes === undefined ? "unreadable" : createHash("sha256").update(bytes).digest("hex");
  return `${root}\0${file}\0${digest}`;
}

/** The content digest of a key (contentKey's last part). */
const digestOf = (key: string): string => key.slice(key.lastIndexOf("\0") + 1);

type NixResult = "parsed" | { missing: boolean; stderr: string };

function runNix(root: string, args: readonly string[]): Promise<NixResult> {
  return new Promise((done) => {
    execFile("nix-instantiate", [...NIX_ARGS, ...args], { cwd: root }, (error, _stdout, stderr) => {
      if (error === null) return done("parsed");
      done({ missing: (error as NodeJS.ErrnoException).code === "ENOENT", stderr });
    });
  });
}

const runDiagnostic = (
  severity: Diagnostic["severity"],
  code: string,
  message: string,
  hint: string,
): Diagnostic => ({
  severity,
  code,
  file: PACKAGES_DIR,
  line: 0,
  column: 0,
  length: 0,
  field: "",
  message,
  hint,
});

function notInstalled(count: number): Diagnostic {
  return runDiagnostic(
    "warning",
    "nixfile/unchecked",
    `nix-instantiate is not installed, so the syntax of ${count} hand-written .nix file(s) was not checked`,
    "install Nix (Debian: apt-get install nix-bin) to have them checked",
  );
}

function cannotRun(stderr: string, count: number): Diagnostic {
  return runDiagnostic(
    "error",
    "nixfile/nix-unusable",
    `nix-instantiate is installed but cannot run (${firstError(stderr) ?? "no message"}), so the syntax of ${count} hand-written .nix file(s) could not be checked`,
    "fix the Nix installation: `nix-instantiate --parse --expr null` must succeed",
  );
}

const stripColours = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, "");

/** The message of Nix's first `error:` line, without its position. */
function firstError(stderr: string): string | undefined {
  const line = stripColours(stderr)
    .split("\n")
    .find((l) => /\berror:/.test(l));
  return line
    ?.replace(/^.*?\berror:\s*/, "")
    .replace(/,? at \S+:\d+:\d+:?$/, "")
    .trim();
}

/**
 * Nix reports `error: <what>, at <file>:<line>:<col>` (older) or `at <file>:<line>:<col>:`
 * (newer). Without a position, Nix could not read the file at all.
 */
function parseError(file: string, stderr: string): Diagnostic {
  const text = stripColours(stderr);
  const at = /at (?:«[^»]*»|[^\s:]*):(\d+):(\d+)/.exec(text);
  const message = firstError(text) ?? (text.trim() || "no message");
  return {
    severity: "error",
    code: at === null ? "nixfile/unreadable" : "nixfile/syntax",
    file,
    line: at === null ? 0 : Number(at[1]),
    column: at === null ? 0 : Number(at[2]),
    length: 1,
    field: "",
    message: `nix-instantiate --parse rejects this file: ${message}`,
  };
}
