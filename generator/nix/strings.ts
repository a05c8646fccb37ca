// Escaping for Nix's two string forms, and the choice between them.
//
// Rules from the Nix lexer: in "..." the escapes are \\ \" \n \r \t and \$; in ''...'' they are
// ''$ (a dollar), ''' (two quotes) and ''\x (x as a " escape), and the indentation common to all
// non-blank lines is stripped. A `$` before `{` (literal or an interpolation) must always be escaped.

import type { StringLit, StringPart } from "./ast.ts";

/** Literal text of a double-quoted string. `beforeInterpolation`: an interpolation follows. */
export function escapeDouble(text: string, beforeInterpolation: boolean): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = i + 1 < text.length ? text[i + 1] : beforeInterpolation ? "{" : "";
    if (c === "\\") out += "\\\\";
    else if (c === '"') out += '\\"';
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (c === "$" && next === "{") out += "\\$";
    else out += c;
  }
  return out;
}

/**
 * Literal text of an indented string, as a list of tokens. `atEnd`: the closing `''` follows
 * directly; `beforeInterpolation`: an interpolation follows.
 */
export function escapeIndented(text: string, beforeInterpolation: boolean, atEnd: boolean): string {
  const tokens: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = i + 1 < text.length ? text[i + 1] : beforeInterpolation ? "{" : "";
    if (c === "'" && text[i + 1] === "'") {
      tokens.push("'''");
      i++;
    } else if (c === "$" && next === "{") tokens.push("''$");
    else if (c === "\r") tokens.push("''\\r");
    else tokens.push(c);
  }
  // A lone quote followed by a token that starts with a quote (or by the closing '') would
  // merge with it into a different token, so it is written as the escape ''\'.
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== "'") continue;
    const following = tokens[i + 1];
    if (following === undefined ? atEnd : following.startsWith("'")) tokens[i] = "''\\'";
  }
  return tokens.join("");
}

/** The text of a string's literal parts, interpolations left out. */
function literalText(parts: readonly StringPart[]): string {
  return parts.filter((p): p is string => typeof p === "string").join("");
}

/** Whether the indented form reproduces the value exactly and reads better than quotes. */
export function chooseIndented(str: StringLit): boolean {
  if (str.form === "double") return false;
  const text = literalText(str.parts);
  const lastLine = lastLineOf(str.parts);
  // A last line of only spaces is dropped by the indentation stripper: not representable.
  if (lastLine !== null && lastLine.length > 0 && /^ +$/.test(lastLine)) return false;
  // The stripper removes the indentation common to all lines that hold more than spaces; the
  // printer adds its own, so the value must have a line without leading spaces of its own.
  if (commonIndentation(str.parts) > 0) return false;
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
    for (const c of part) {
      if (c === "\n") {
        atLineStart = true;
        indent = 0;
      } else if (atLineStart && c === " ") indent++;
      else if (atLineStart) {
        common = Math.min(common, indent);
        atLineStart = false;
      }
    }
  }
  return common;
}
