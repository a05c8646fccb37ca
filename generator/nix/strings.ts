// Escaping for Nix's two string forms, and the choice between them.
//
// Rules from the Nix lexer: in "..." the escapes are \\ \" \n \r \t and \$; in ''...'' they are
// ''$ (a dollar), ''' (two quotes) and ''\x (x as a " escape), and the indentation common to all
// non-blank lines is stripped. A `$` before `{` (literal or an interpolation) must always be escaped.

import type { StringLit, StringPart } from "./ast.ts";

const DOUBLE_SPECIAL = /[\\"\n\r\t]|\$(?=\{)/g;
const DOUBLE_ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  $: "\\$",
};

/** Literal text of a double-quoted string. `beforeInterpolation`: an interpolation follows. */
export function escapeDouble(text: string, beforeInterpolation: boolean): string {
  const escaped = text.replace(DOUBLE_SPECIAL, (c) => DOUBLE_ESCAPES[c]!);
  // A `$` ending the text, right before an interpolation, would start `$${`.
  return beforeInterpolation && text.endsWith("$") ? `${escaped.slice(0, -1)}\\$` : escaped;
}

/** Runs of quotes, a `$` before `{`, and carriage returns: what `''` strings must escape. */
const INDENTED_SPECIAL = /'+|\$(?=\{)|\r/g;

/**
 * Literal text of an indented string. `atEnd`: the closing `''` follows directly;
 * `beforeInterpolation`: an interpolation follows.
 */
export function escapeIndented(text: string, beforeInterpolation: boolean, atEnd: boolean): string {
  const dollarEnds = beforeInterpolation && text.endsWith("$");
  const escaped = text.replace(INDENTED_SPECIAL, (match: string, offset: number) => {
    if (match === "$") return "''$";
    if (match === "\r") return "''\\r";
    // Pairs of quotes become '''. A lone quote left over would merge with a following escape
    // (or with the closing quotes), so it is written as the escape ''\'.
    const pairs = "'''".repeat(match.length >> 1);
    if (match.length % 2 === 0) return pairs;
    const after = offset + match.length;
    const next = text[after];
    const mergesWithNext =
      next === "\r" ||
      (next === "$" && (text[after + 1] === "{" || (after + 1 === text.length && dollarEnds))) ||
      (next === undefined && atEnd);
    return pairs + (mergesWithNext ? "''\\'" : "'");
  });
  // A `$` ending the text, right before an interpolation, would start `$${`.
  return dollarEnds ? `${escaped.slice(0, -1)}''$` : escaped;
}

/**
 * The parts with adjacent literal text joined and empty text dropped. Escaping looks at what
 * surrounds each piece of text (a quote before a quote, a `$` before `{`), so it must see each
 * run of text whole, however the caller cut it into parts.
 */
export function literalRuns(parts: readonly StringPart[]): StringPart[] {
  const runs: StringPart[] = [];
  for (const part of parts) {
    const last = runs[runs.length - 1];
    if (typeof part === "string" && typeof last === "string") runs[runs.length - 1] = last + part;
    else if (part !== "") runs.push(part);
  }
  return runs;
}

/** The text of a string's literal parts, interpolations left out. */
function literalText(parts: readonly StringPart[]): string {
  return parts.filter((p): p is string => typeof p === "string").join("");
}

const chosen = new WeakMap<StringLit, boolean>();

/** Whether the indented form reproduces the value exactly and reads better than quotes. */
export function chooseIndented(str: StringLit): boolean {
  let result = chosen.get(str);
  if (result === undefined) {
    result = decideIndented(str);
    chosen.set(str, result);
  }
  return result;
}

function decideIndented(str: StringLit): boolean {
  if (str.form === "double") return false;
  // One line in the indented form is not the standard style (the formatter makes it "...").
  // Checked first, on the parts as they are: most strings are one line.
  if (!str.parts.some((p) => typeof p === "string" && p.includes("\n"))) return false;
  const parts = literalRuns(str.parts);
  const text = literalText(parts);
  const lastLine = lastLineOf(parts);
  // A last line of only spaces is dropped by the indentation stripper: not representable.
  if (lastLine !== null && lastLine.length > 0 && /^ +$/.test(lastLine)) return false;
  // The stripper removes the indentation common to all lines that hold more than spaces; the
  // printer adds its own, so the value must have a line without leading spaces of its own.
  if (commonIndentation(parts) > 0) return false;
  if (str.form === "indented") return true;
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  return body.includes("\n");
}

/** Text after the last newline, or null when an interpolation ends the string. */
function lastLineOf(parts: readonly StringPart[]): string | null {
  const last = parts[parts.length - 1];
  if (last === undefined) return "";
  if (typeof last !== "string") return null;
  const nl = last.lastIndexOf("\n");
  if (nl >= 0) return last.slice(nl + 1);
  // The last line also includes text before it, back to the previous newline or interpolation.
  return parts.length === 1 ? last : null;
}

/**
 * Leading spaces shared by every line of the value that holds more than spaces (Infinity when
 * there is none), counted as Nix counts them: an interpolation ends a line's indentation.
 */
function commonIndentation(parts: readonly StringPart[]): number {
  let common = Infinity;
  let indent = 0;
  let atLineStart = true;
  for (const part of parts) {
    if (typeof part !== "string") {
      if (atLineStart) common = Math.min(common, indent);
      atLineStart = false;
      continue;
    }
    for (let i = 0; i < part.length; i++) {
      const c = part[i];
      if (c === "\n") {
        atLineStart = true;
        indent = 0;
      } else if (atLineStart && c === " ") indent++;
      else if (atLineStart) {
        common = Math.min(common, indent);
        atLineStart = false;
        // Skip to the end of the line: nothing else on it matters.
        const nl = part.indexOf("\n", i);
        if (nl < 0) break;
        i = nl - 1;
      }
    }
  }
  return common;
}
