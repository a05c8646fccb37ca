// `nixgen generate` and `nixgen check`: the pipeline, then what it did or what is stale. Exit 0
// when done (or up to date), 1 for invalid descriptors or a stale tree, 2 when the environment
// stops the run (a lock held, a tree or file that cannot be read or written, a broken Nix).

import type { Diagnostic } from "../diagnostics.ts";
import type { GenerateResult } from "../index.ts";
import { GENERATED_DIR } from "../paths.ts";
import { inputsDigest, outputsDigest, RunRecords, type RunSummary } from "../run-record.ts";
import { TreeLockedError } from "../lock.ts";
import { formatStale } from "../stale.ts";
import { EXIT, exitFor } from "./exit.ts";
import { colorsFor, diagnosticJson, diagnosticText, err, out, plural, seconds } from "./output.ts";
import { projectRoot } from "./root.ts";

export interface GenerateFlags {
  readonly root?: string;
  readonly verbose?: boolean;
  readonly format: "text" | "json";
}

type Command = "generate" | "check";

export async function runGenerate(command: Command, flags: GenerateFlags): Promise<number> {
  const started = performance.now();
  const root = projectRoot(flags.root);
  let result: RunSummary;
  try {
    result = await summaryOf(command, root);
  } catch (error) {
    if (!(error instanceof TreeLockedError)) throw error;
    if (flags.format === "json") out(JSON.stringify({ command, ok: false, lock: error.message }));
    else err(`${colorsFor(process.stderr).red("error")}: ${error.message}`);
    return EXIT.environment;
  }
  const elapsed = performance.now() - started;
  const code = exitFor(result);
  if (flags.format === "json") out(JSON.stringify(jsonReport(command, result, elapsed, code)));
  else report(command, result, elapsed, flags.verbose === true);
  return code;
}

/**
 * What the run reports: from the record of an earlier run when nothing it read or compared has
 * changed since (run-record.ts), otherwise from the pipeline, whose answer is then recorded when it
 * left the project up to date. The pipeline is loaded only when it runs.
 */
export async function summaryOf(command: Command, root: string): Promise<RunSummary> {
  const records = RunRecords.open();
  const inputs = RunRecords.enabled ? inputsDigest(root) : undefined;
  const outputs = inputs === undefined ? undefined : outputsDigest(root);
  const recorded = outputs === undefined ? undefined : records.answer(root, inputs!, outputs);
  if (recorded !== undefined) {
    const unchanged = recorded.fileCount + 1; // and the manifest
    return command === "check"
      ? { ...recorded, stale: [] }
      : { ...recorded, stale: [], write: { written: [], removed: [], unchanged } };
  }
  const { generate } = await import("../index.ts");
  const summary = summarize(await generate({ root, check: command === "check" }));
  const upToDate =
    summary.ok &&
    (command === "generate" ||
      (summary.stale.length === 0 && !summary.docs.stale && !summary.catalog.stale));
  // Recorded only when nothing under packages/ changed while the pipeline read it.
  if (inputs !== undefined && upToDate && inputsDigest(root) === inputs) {
    const after = outputsDigest(root);
    if (after !== undefined) records.save(root, inputs, after, summary);
  }
  return { ...summary, warnings: [...records.warnings, ...summary.warnings] };
}

function summarize(r: GenerateResult): RunSummary {
  const { ok, diagnostics, sources, warnings, unknown, stale, write, docs, catalog } = r;
  const summary = { ok, diagnostics, sources, warnings, unknown, stale, docs, catalog };
  if (write === undefined) return { ...summary, fileCount: r.files.size };
  const { written, removed, unchanged } = write;
  return { ...summary, fileCount: r.files.size, write: { written, removed, unchanged } };
}

function jsonReport(command: Command, r: RunSummary, elapsedMs: number, exitCode: number) {
  return {
    command,
    ok: r.ok,
    exitCode,
    elapsedMs: Math.round(elapsedMs),
    diagnostics: r.diagnostics.map(diagnosticJson),
    warnings: [...r.warnings, ...r.unknown.map(unknownFile)],
    ...(command === "generate"
      ? {
          written: (r.write?.written ?? []).map((p) => `${GENERATED_DIR}/${p}`),
          removed: (r.write?.removed ?? []).map((p) => `${GENERATED_DIR}/${p}`),
          unchanged: r.write?.unchanged ?? 0,
        }
      : { stale: r.stale.map((s) => ({ path: `${GENERATED_DIR}/${s.path}`, state: s.state })) }),
    docs: r.docs,
    catalog: r.catalog,
  };
}

const unknownFile = (path: string): string =>
  `${GENERATED_DIR}/${path} was not written by the generator; left in place`;

function report(command: Command, r: RunSummary, elapsed: number, verbose: boolean): void {
  const c = colorsFor(process.stderr);
  for (const d of r.diagnostics) err(`${diagnosticText(d, r.sources, c)}\n`);
  const errors = r.diagnostics.filter((d: Diagnostic) => d.severity === "error").length;
  if (errors > 0) {
    err(c.red(`${plural(errors, "error")}; nothing was written.`));
    return;
  }
  for (const warning of [...r.warnings, ...r.unknown.map(unknownFile)]) {
    err(`${c.yellow("warning")}: ${warning}`);
  }
  const o = colorsFor(process.stdout);
  if (command === "check") {
    if (
      r.stale.length > 0 &&
      r.stale.every((s) => s.state === "missing") &&
      r.stale.length > r.fileCount
    ) {
      err(`${GENERATED_DIR}/ does not exist yet; run \`npm run generate\``);
    } else if (r.stale.length > 0) {
      err(`${GENERATED_DIR}/ is stale; run \`npm run generate\`:`);
      const limits = verbose ? { perFile: Infinity, total: Infinity } : undefined;
      for (const line of formatStale(r.stale, limits)) err(colorDiffLine(line, c));
    }
    if (r.docs.stale) err(`${r.docs.path} is stale; run \`npm run generate\``);
    if (r.catalog.stale) err(`${r.catalog.path} is stale; run \`npm run generate\``);
    if (r.ok) {
      out(
        `${o.green(`${GENERATED_DIR}/ is up to date`)} (${plural(r.fileCount + 1, "file")}, ${seconds(elapsed)}).`,
      );
    }
    return;
  }
  const w = r.write!;
  if (verbose) {
    for (const path of w.written) out(`  ${o.green("wrote")}   ${GENERATED_DIR}/${path}`);
    for (const path of w.removed) out(`  ${o.red("removed")} ${GENERATED_DIR}/${path}`);
  }
  out(
    `${GENERATED_DIR}/: ${w.written.length} written, ${w.removed.length} removed, ${w.unchanged} unchanged (${seconds(elapsed)}).`,
  );
  if (r.docs.stale) out(`${r.docs.path} rewritten from schemas/.`);
  if (r.catalog.stale) out(`${r.catalog.path} rewritten.`);
}

function colorDiffLine(line: string, c: ReturnType<typeof colorsFor>): string {
  if (line.startsWith("+++") || line.startsWith("---")) return c.bold(line);
  if (line.startsWith("+")) return c.green(line);
  if (line.startsWith("-")) return c.red(line);
  if (line.startsWith("@@")) return c.cyan(line);
  return line;
}
