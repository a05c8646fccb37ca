// What the commands print: diagnostics with colour on a terminal (never under NO_COLOR), or as
// JSON; counts; elapsed time. Results go to stdout, diagnostics and warnings to stderr.

import pc from "picocolors";
import type { Diagnostic, Sources } from "../diagnostics.ts";
import { formatDiagnostic } from "../diagnostics.ts";

export type Colors = ReturnType<typeof pc.createColors>;

/** Colours for a stream: on a terminal only, and never when NO_COLOR is set (no-color.org). */
export function colorsFor(stream: NodeJS.WriteStream): Colors {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "";
  return pc.createColors(stream.isTTY === true && !noColor);
}

export const out = (line = ""): void => void process.stdout.write(`${line}\n`);
export const err = (line = ""): void => void process.stderr.write(`${line}\n`);

/** A diagnostic as `file:line:col: error[code] field: message`, a hint and a code frame. */
export function diagnosticText(d: Diagnostic, sources: Sources, c: Colors): string {
  const [first, ...rest] = formatDiagnostic(d, sources).split("\n");
  const severity = d.severity === "error" ? c.red : c.yellow;
  const head = first!.replace(
    /^(.*?: )(error|warning)(\[[^\]]+\])/,
    (_, where: string, s: string, code: string) =>
      `${c.bold(where)}${severity(c.bold(s))}${severity(code)}`,
  );
  const body = rest.map((line) =>
    line.startsWith("  hint:") ? c.cyan(line) : line.includes(" | ") ? c.dim(line) : line,
  );
  return [head, ...body].join("\n");
}

/** The fields of a diagnostic in --format json. */
export function diagnosticJson(d: Diagnostic) {
  return {
    severity: d.severity,
    code: d.code,
    file: d.file,
    line: d.line,
    column: d.column,
    field: d.field,
    message: d.message,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
  };
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
