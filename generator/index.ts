// The public API: run the pipeline (load -> emit and print -> write), or stop after load; and
// the Nix AST library the templates use.

import { compareDiagnostics, hasErrors, type Diagnostic } from "./diagnostics.ts";
import type { print } from "./print.ts";
import { renderOutputs } from "./render.ts";
import { descriptorDocs, syncDocs } from "./documents.ts";
import { loadPackageSet, type LoadResult } from "./load.ts";
import { diffTree, type StaleText } from "./stale.ts";
import { DOCS_PATH } from "./paths.ts";
import { CATALOG_PATH, renderCatalog } from "../templates/catalog.ts";
import { TreeShapeError, writeTree, type TreeProblem, type WriteResult } from "./write.ts";

export { nix, printNix, isIdentifier, NixBuildError, type PrintOptions } from "./nix/index.ts";
export type * from "./nix/ast.ts";
export type * from "./model.ts";
export {
  formatDiagnostic,
  WHOLE_FILE_CODES,
  type Diagnostic,
  type Sources,
} from "./diagnostics.ts";
export type { StaleFile, StaleText } from "./stale.ts";
export type { WriteResult } from "./write.ts";
export { DOCS_PATH } from "./paths.ts";
export { loadPackageSet, type LoadOptions, type LoadResult } from "./load.ts";
export { descriptorDocs, PRERENDERED_DOCS, renderDocs } from "./documents.ts";

export interface GenerateOptions {
  root?: string;
  /** Write nothing; report in `stale` what `generate` would change. */
  check?: boolean;
  /** The printer; tests pass one that fails, to prove a failure before the write writes nothing. */
  print?: typeof print;
}

export interface GenerateResult extends LoadResult {
  readonly ok: boolean;
  /** The printed files, by path relative to generated/ (empty when descriptors have errors). */
  readonly files: ReadonlyMap<string, string>;
  /** Check mode: files that differ from what would be written, with both texts. */
  readonly stale: readonly StaleText[];
  /** Files under generated/ that the generator did not write (kept as they are). */
  readonly unknown: readonly string[];
  /** Generate mode: what was written. */
  readonly write?: WriteResult;
  /** About generated/ itself: a stale lock taken over, an interrupted run repaired. */
  readonly warnings: readonly string[];
  /** The descriptor reference (docs/descriptors.md): whether it is, or was, out of date. */
  readonly docs: { readonly path: string; readonly stale: boolean };
  /** The catalog of images (docs/catalog.md): whether it is, or was, out of date. */
  readonly catalog: { readonly path: string; readonly stale: boolean };
  /** Emit units made in this run, and units whose files were taken from generated/ (the cache). */
  readonly units: { readonly made: number; readonly reused: number };
}

export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const root = options.root ?? process.cwd();
  const loaded = await loadPackageSet(root);
  const docs = { path: DOCS_PATH, stale: false };
  const catalog = { path: CATALOG_PATH, stale: false };
  let units = { made: 0, reused: 0 };
  const failed = (
    diagnostics: readonly Diagnostic[],
    warnings: readonly string[] = loaded.warnings,
  ): GenerateResult => ({
    ...loaded,
    diagnostics,
    ok: false,
    files: new Map(),
    stale: [],
    unknown: [],
    warnings,
    docs,
    catalog,
    units,
  });
  if (loaded.set === undefined) return failed(loaded.diagnostics);
  const rendered = renderOutputs(root, loaded.set, { print: options.print });
  units = { made: rendered.made, reused: rendered.reused };
  const diagnostics = [...loaded.diagnostics, ...rendered.diagnostics].sort(compareDiagnostics);
  const runWarnings = [...loaded.warnings, ...rendered.warnings];
  if (hasErrors(diagnostics)) return failed(diagnostics, runWarnings);
  const files = rendered.files;
  const catalogText = renderCatalog(root, loaded.set);
  try {
    if (options.check === true) {
      const { stale, unknown, warnings } = await diffTree(root, files, rendered.current);
      const docsStale = await syncDocs(root, DOCS_PATH, descriptorDocs(), false);
      const catalogStale = await syncDocs(root, CATALOG_PATH, catalogText, false);
      const ok = stale.length === 0 && !docsStale && !catalogStale;
      return {
        ...loaded,
        diagnostics,
        ok,
        files,
        stale,
        unknown,
        warnings: [...runWarnings, ...warnings],
        docs: { ...docs, stale: docsStale },
        catalog: { ...catalog, stale: catalogStale },
        units,
      };
    }
    // The documents first: a failure there leaves generated/ as it was. writeTree throws
    // TreeLockedError when another run is writing.
    const docsStale = await syncDocs(root, DOCS_PATH, descriptorDocs(), true);
    const catalogStale = await syncDocs(root, CATALOG_PATH, catalogText, true);
    const write = await writeTree(root, files, { current: rendered.current });
    return {
      ...loaded,
      diagnostics,
      ok: true,
      files,
      stale: [],
      unknown: write.unknown,
      write,
      warnings: [...runWarnings, ...write.warnings],
      docs: { ...docs, stale: docsStale },
      catalog: { ...catalog, stale: catalogStale },
      units,
    };
  } catch (error) {
    if (!(error instanceof TreeShapeError)) throw error;
    const problems = error.problems.map(treeDiagnostic);
    return failed([...diagnostics, ...problems].sort(compareDiagnostics), runWarnings);
  }
}

/** Something in generated/ (or beside it) that stops the run, as a diagnostic on its path. */
function treeDiagnostic(problem: TreeProblem): Diagnostic {
  return {
    severity: "error",
    code: problem.code,
    file: problem.path,
    line: 0,
    column: 0,
    length: 0,
    field: "",
    message: problem.message,
    hint: problem.hint,
  };
}
