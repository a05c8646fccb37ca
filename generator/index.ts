// The public API: run the pipeline (discover -> parse -> validate -> resolve -> emit -> print ->
// write), or stop after resolve; and the Nix AST library the templates use.

import { compareDiagnostics, hasErrors, type Diagnostic } from "./diagnostics.ts";
import { discover } from "./discover.ts";
import { emit } from "./emit.ts";
import type { PackageSet } from "./model.ts";
import { parseFile } from "./parse.ts";
import { print } from "./print.ts";
import { resolve } from "./resolve.ts";
import { validate, type ValidDescriptor } from "./validate.ts";
import { compareTree, writeTree, type StaleFile, type WriteResult } from "./write.ts";

export { nix, printNix, isIdentifier, NixBuildError, type PrintOptions } from "./nix/index.ts";
export type * from "./nix/ast.ts";
export type * from "./model.ts";
export { formatDiagnostic, type Diagnostic, type Sources } from "./diagnostics.ts";
export type { StaleFile, WriteResult } from "./write.ts";

export interface LoadResult {
  readonly set?: PackageSet;
  /** All problems found, in a stable order (file, line, column, code). */
  readonly diagnostics: readonly Diagnostic[];
  /** Text of every descriptor read, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
}

/** The resolved package set and its diagnostics, without emitting anything. */
export async function loadPackageSet(root: string = process.cwd()): Promise<LoadResult> {
  const discovery = await discover(root);
  const diagnostics: Diagnostic[] = [...discovery.diagnostics];
  const sources = new Map<string, string>();
  const valid: ValidDescriptor[] = [];
  for (const file of discovery.files) {
    const parsed = await parseFile(root, file);
    if (parsed.text !== undefined) sources.set(file.path, parsed.text);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.descriptor === undefined) continue;
    const checked = validate(parsed.descriptor);
    diagnostics.push(...checked.diagnostics);
    if (checked.valid !== undefined) valid.push(checked.valid);
  }
  const resolved = resolve(
    valid,
    discovery.files.map((f) => f.attrPath),
  );
  diagnostics.push(...resolved.diagnostics);
  diagnostics.sort(compareDiagnostics);
  const ok = !hasErrors(diagnostics) && resolved.set !== undefined;
  return ok ? { set: resolved.set, diagnostics, sources } : { diagnostics, sources };
}

export interface GenerateOptions {
  root?: string;
  /** Write nothing; report in `stale` what `generate` would change. */
  check?: boolean;
}

export interface GenerateResult extends LoadResult {
  readonly ok: boolean;
  /** The printed files, by path relative to generated/ (empty when descriptors have errors). */
  readonly files: ReadonlyMap<string, string>;
  /** Check mode: files that differ from what would be written. */
  readonly stale: readonly StaleFile[];
  /** Generate mode: what was written. */
  readonly write?: WriteResult;
}

export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const root = options.root ?? process.cwd();
  const loaded = await loadPackageSet(root);
  if (loaded.set === undefined) return { ...loaded, ok: false, files: new Map(), stale: [] };
  const files = print(emit(loaded.set));
  if (options.check === true) {
    const stale = await compareTree(root, files);
    return { ...loaded, ok: stale.length === 0, files, stale };
  }
  const write = await writeTree(root, files);
  return { ...loaded, ok: true, files, stale: [], write };
}
