// What must hold after any input, checked on a real run of the generator in a project folder:
//
// - generate resolves (no uncaught exception, whatever the input);
// - every diagnostic has a code, a file, and a line and column, unless its code is one of the
//   documented whole-file codes; none is an internal one; a line lies inside its file;
// - when the run fails, generated/ is byte-identical and nothing is left beside it;
// - the caches change nothing: a run without the parse and output caches reports the same
//   problems, and after a successful run finds nothing stale (the run writes what a cold run
//   wants);
// - when it succeeds, every .nix file that differs from what the base set generates parses with
//   nix-instantiate, and every string a mutation wrote (in a field that reaches the output at
//   all) is among the values Nix reads from those files, or in the JSON files: a string cannot
//   escape its Nix string.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { generate, WHOLE_FILE_CODES, type Diagnostic } from "../../generator/index.ts";
import { treeHash } from "../helpers.ts";
import { Workspace } from "../workspace.ts";

export { Workspace } from "../workspace.ts";
import { nixStringValues } from "./nix-strings.ts";
import { parseDocument } from "yaml";
import { stringAt, type Files, type Written } from "./mutate.ts";

const CODE = /^[a-z]+\/[a-z0-9-]+$/;

export const show = (d: Diagnostic): string =>
  `${d.file}:${d.line}:${d.column}: ${d.severity}[${d.code}] ${d.field}: ${d.message}`;

/** What a run did, and the properties it broke. */
export interface Report {
  readonly failures: string[];
  /** Whether generation succeeded. */
  readonly ok: boolean;
  /** Codes of the errors reported. */
  readonly codes: readonly string[];
  /** Strings found among the Nix values (when the output changed). */
  readonly reached: number;
}

/** Run the generator on the workspace with `files` applied. */
export async function check(
  ws: Workspace,
  files: Files,
  written: readonly Written[],
): Promise<Report> {
  ws.apply(files);
  try {
    return await checkRun(ws, files, written);
  } finally {
    ws.restore();
  }
}

async function checkRun(ws: Workspace, files: Files, written: readonly Written[]): Promise<Report> {
  const generatedDir = join(ws.root, "generated");
  const before = existsSync(generatedDir) ? treeHash(generatedDir) : "absent";
  let result: Awaited<ReturnType<typeof generate>>;
  try {
    result = await generate({ root: ws.root });
  } catch (error) {
    const failure = `uncaught exception: ${(error as Error).stack ?? String(error)}`;
    return { failures: [failure], ok: false, codes: [], reached: 0 };
  }
  const codes = result.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
  const failures = result.diagnostics.flatMap((d) => diagnosticProblems(d, result.sources));
  failures.push(...(await cacheProblems(ws.root, result)));
  const leftovers = readdirSync(ws.root).filter((n) => n.startsWith(".generated"));
  if (leftovers.length > 0) failures.push(`left beside generated/: ${leftovers.join(", ")}`);
  if (!result.ok) {
    if (!result.diagnostics.some((d) => d.severity === "error")) {
      failures.push("the run failed without an error diagnostic");
    }
    const after = existsSync(generatedDir) ? treeHash(generatedDir) : "absent";
    if (after !== before) failures.push("a failed run changed generated/");
    return { failures, ok: false, codes, reached: 0 };
  }
  // Files that differ from what the base set generates: the mutation's whole effect, whatever
  // earlier runs left in generated/ (all of them written, since generated/ now holds them).
  const differing = ws.differing(result.files);
  failures.push(
    ...parseProblems(
      ws.root,
      differing.filter((p) => p.endsWith(".nix")),
    ),
  );
  if (failures.length > 0 || differing.length === 0) {
    return { failures, ok: true, codes, reached: 0 };
  }
  const reach = await reachProblems(ws, files, written, differing, result.files);
  return { failures: [...failures, ...reach.problems], ok: true, codes, reached: reach.reached };
}

/**
 * What a check with every cache off finds after the run: the same problems of the descriptors,
 * and, when the run wrote, nothing stale. (The tree's own problems are left out: a failed write
 * leaves generated/ as it was, which a check then compares.)
 */
async function cacheProblems(
  root: string,
  result: Awaited<ReturnType<typeof generate>>,
): Promise<string[]> {
  // The parse and output caches pointed at a path that cannot exist: nothing is read or written
  // (the record of parsed Nix files, tested on its own, keeps the runs fast).
  const saved = [process.env.NIXGEN_PARSE_CACHE, process.env.NIXGEN_OUTPUT_CACHE] as const;
  process.env.NIXGEN_PARSE_CACHE = process.env.NIXGEN_OUTPUT_CACHE = "/dev/null/no-cache";
  let cold: Awaited<ReturnType<typeof generate>>;
  try {
    cold = await generate({ root, check: true });
  } catch (error) {
    return [`uncaught exception without the caches: ${(error as Error).stack ?? String(error)}`];
  } finally {
    restoreEnv("NIXGEN_PARSE_CACHE", saved[0]);
    restoreEnv("NIXGEN_OUTPUT_CACHE", saved[1]);
  }
  const ofDescriptors = (r: typeof result) =>
    r.diagnostics.filter((d) => !d.code.startsWith("generated/")).map(show);
  const problems: string[] = [];
  const [cached, uncached] = [ofDescriptors(result), ofDescriptors(cold)];
  if (JSON.stringify(cached) !== JSON.stringify(uncached)) {
    problems.push(
      `the caches changed the diagnostics: ${JSON.stringify(cached)} without them ${JSON.stringify(uncached)}`,
    );
  }
  if (result.ok && cold.stale.length > 0) {
    const stale = cold.stale.map((f) => `${f.state} ${f.path}`).join(", ");
    problems.push(`with the caches, generate wrote what a run without them finds stale: ${stale}`);
  }
  return problems;
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function diagnosticProblems(d: Diagnostic, sources: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  if (!CODE.test(d.code)) problems.push(`malformed code: ${show(d)}`);
  if (d.code.startsWith("internal/")) problems.push(`internal error: ${show(d)}`);
  if (d.file === "") problems.push(`no file: ${show(d)}`);
  const positioned = d.line > 0 && d.column > 0;
  if (!positioned && !WHOLE_FILE_CODES.has(d.code)) problems.push(`no position: ${show(d)}`);
  const text = sources.get(d.file);
  if (positioned && text !== undefined && d.line > text.split(/\r\n|\r|\n/).length) {
    problems.push(`line past the end of the file: ${show(d)}`);
  }
  return problems;
}

/** Every written .nix file must parse; one nix-instantiate for all, each alone when it fails. */
function parseProblems(root: string, nixFiles: readonly string[]): string[] {
  if (nixFiles.length === 0) return [];
  const paths = nixFiles.map((p) => join(root, "generated", p));
  if (nixParse(paths).status === 0) return [];
  return nixFiles.flatMap((p, i) => {
    const r = nixParse([paths[i]!]);
    return r.status === 0 ? [] : [`generated/${p} does not parse: ${r.stderr.trim()}`];
  });
}

function nixParse(paths: readonly string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("nix-instantiate", ["--parse", "--store", "dummy://", ...paths], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Each string a mutation wrote, as the YAML parser reads it, must be found in the values Nix
 * reads from the written files (or in the JSON files written). References (`${{ }}`) are
 * replaced by store paths, so strings holding `${{` are left out.
 */
async function reachProblems(
  ws: Workspace,
  files: Files,
  written: readonly Written[],
  differing: readonly string[],
  outputs: ReadonlyMap<string, string>,
): Promise<{ problems: string[]; reached: number }> {
  const values = outputValues(ws.root, differing, outputs);
  const problems: string[] = [];
  let reached = 0;
  for (const w of written) {
    const bytes = files.get(w.file);
    if (bytes === null || bytes === undefined) continue;
    const value = stringAt(new TextDecoder().decode(bytes), w.path);
    if (value === undefined) continue;
    // A string written as it was (an empty splice) changes nothing: no file to find it in.
    const base = ws.base.get(w.file);
    if (base !== undefined && stringAt(new TextDecoder().decode(base), w.path) === value) continue;
    // A field with references is cut at each; a plain field (a description) is taken as written.
    const pieces = literalPieces(value).filter((piece) => piece.trim() !== "");
    // A command whose output fluentd captures runs inside `bash -c '...'`: its quotes escaped.
    const quoted = (piece: string) => piece.replaceAll("'", "'\\''");
    const found = (piece: string) =>
      values.some((v) => v.includes(piece) || v.includes(quoted(piece)));
    if (pieces.length === 0) continue;
    if (pieces.every(found) || found(value)) {
      reached++;
    } else if (await reachesWhenPlain(ws, files, w)) {
      problems.push(
        `the string ${JSON.stringify(value)} written at ${w.file} ${JSON.stringify(w.path)} reaches no Nix value`,
      );
    }
  }
  return { problems, reached };
}

const MARKER = "fuzzmarker7f3a";

/**
 * The literal text of a descriptor string between its `${{ }}` references (which become store
 * paths, cutting the Nix string there); `$${{` is a literal `${{`.
 */
function literalPieces(value: string): string[] {
  const pieces: string[] = [];
  let piece = "";
  let last = 0;
  for (const m of value.matchAll(/\$\$\{\{|\$\{\{.*?\}\}/gs)) {
    piece += value.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[0] === "$${{") piece += "${{";
    else {
      pieces.push(piece);
      piece = "";
    }
  }
  pieces.push(piece + value.slice(last));
  return pieces;
}

/**
 * Whether a plain word written in place of the string reaches the Nix values: when it does not,
 * the field has no effect here (documentation, a value its descriptor overrides), and the string
 * cannot be expected in the output either.
 */
async function reachesWhenPlain(ws: Workspace, files: Files, w: Written): Promise<boolean> {
  const doc = parseDocument(new TextDecoder().decode(files.get(w.file)!));
  doc.setIn(w.path, MARKER);
  ws.apply(new Map([[w.file, new TextEncoder().encode(String(doc))]]));
  const result = await generate({ root: ws.root });
  if (!result.ok) return false;
  return outputValues(ws.root, ws.differing(result.files), result.files).some((v) =>
    v.includes(MARKER),
  );
}

/** The strings Nix reads from the files (and their comments), and those of the JSON files. */
function outputValues(
  root: string,
  paths: readonly string[],
  outputs: ReadonlyMap<string, string>,
): string[] {
  const values: string[] = [];
  const nixFiles = paths.filter((p) => p.endsWith(".nix"));
  if (nixFiles.length > 0) {
    const parsed = nixParse(nixFiles.map((p) => join(root, "generated", p)));
    values.push(...nixStringValues(parsed.stdout));
  }
  // Descriptor text that documents (a pin's branch) is written as a comment.
  for (const path of nixFiles) {
    const text = outputs.get(path) ?? "";
    values.push(...[...text.matchAll(/^\s*# (.*)$/gm)].map((m) => m[1]!));
  }
  for (const path of paths.filter((p) => p.endsWith(".json"))) {
    values.push(...jsonStrings(JSON.parse(outputs.get(path) ?? "null")));
  }
  return values;
}

function jsonStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object") return [];
  return [...Object.keys(value), ...Object.values(value).flatMap(jsonStrings)];
}
