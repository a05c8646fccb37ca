// Diagnostics: what every stage returns instead of throwing. Each one names a file position, a
// stable code, the field, what was expected and what was found.

export interface Diagnostic {
  readonly severity: "error" | "warning";
  /** Stable identifier, e.g. `schema/unknown-key`; documented in the README. */
  readonly code: string;
  /** Path relative to the repository root, with forward slashes. */
  readonly file: string;
  /** 1-based line and column; 0 when the problem concerns the whole file. */
  readonly line: number;
  readonly column: number;
  /** Length of the offending text on its line, for the code frame underline. */
  readonly length: number;
  /** Dotted field path inside the descriptor, e.g. `services[0].user`. */
  readonly field: string;
  readonly message: string;
  readonly hint?: string;
}

/**
 * The codes whose diagnostics concern a file, a folder or the run as a whole, and so may carry no
 * line and column (0:0). Every other diagnostic points at a line and column. The README lists
 * them; the fuzzer holds every run to it.
 */
export const WHOLE_FILE_CODES: ReadonlySet<string> = new Set([
  // A file or folder under packages/ that is not where or what it may be.
  "path/invalid-name",
  "path/not-a-descriptor",
  "path/not-a-file",
  "path/symlink",
  "path/unreadable",
  "path/unused-nix-file",
  // A descriptor as a whole: too large, empty, or aliases that expand too far or too deep.
  "yaml/too-large",
  "yaml/empty",
  "yaml/alias-limit",
  "yaml/too-deep",
  // A fragment with errors, whose dependents were not checked (a warning).
  "fragment/dependents-skipped",
  // Hand-written .nix files: Nix missing or unusable (the run), or a file Nix cannot read.
  "nixfile/unchecked",
  "nixfile/nix-unusable",
  "nixfile/unreadable",
  // generated/ and what lies beside it, when something there stops the run.
  "generated/not-a-folder",
  "generated/not-a-file",
  "generated/hand-made-file",
  "generated/unreadable",
  "generated/write-failed",
  "generated/previous-left",
]);

/** The text of every file read during a run, for code frames. */
export type Sources = ReadonlyMap<string, string>;

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === "error");

/** `file:line:col: error[code] field: message`, then a hint and a code frame. */
export function formatDiagnostic(d: Diagnostic, sources: Sources): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const field = d.field === "" ? "" : `${d.field}: `;
  const lines = [`${where}: ${d.severity}[${d.code}] ${field}${d.message}`];
  if (d.hint !== undefined) lines.push(`  hint: ${d.hint}`);
  const text = sources.get(d.file);
  if (text !== undefined && d.line > 0) lines.push(...codeFrame(text, d.line, d.column, d.length));
  return lines.join("\n");
}

function codeFrame(text: string, line: number, column: number, length: number): string[] {
  const all = text.split(/\r?\n/);
  const first = Math.max(1, line - 1);
  const last = Math.min(all.length, line + 1);
  const width = String(last).length;
  const frame: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? ">" : " ";
    frame.push(`  ${marker} ${String(n).padStart(width)} | ${all[n - 1] ?? ""}`.trimEnd());
    if (n === line) {
      const underline = "^".repeat(Math.max(1, length));
      frame.push(`    ${" ".repeat(width)} | ${" ".repeat(Math.max(0, column - 1))}${underline}`);
    }
  }
  return frame;
}

/** The candidate closest to `word` by edit distance, when close enough to be a likely typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // One typo first; then a name written short of its end (`python27` for python27Full), the
  // shortest that extends it; then a name a few typos away.
  if (best !== undefined && bestDistance <= 1) return best;
  const lower = word.toLowerCase();
  const longer = [...candidates]
    .filter((c) => word.length >= 3 && c.toLowerCase().startsWith(lower))
    .sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  if (longer[0] !== undefined) return longer[0];
  const limit = Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** Edits from `a` to `b`: insertions, deletions, substitutions and swaps of two neighbours. */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      // A swap (`bsah` for `bash`) is one typo, not two.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        current[j] = Math.min(current[j]!, before[j - 2]! + 1);
      }
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}
