// Literals as the printer writes them: integers and floats exactly (every 64-bit integer, every
// normal float), strings in the form that reproduces their value (chosen and escaped by
// strings.ts) and laid out as the standard style lays them out, attribute names quoted when they
// are not identifiers. Interpolated expressions are printed by the caller's `interpolation`.

import type { AttrName, Expr, StringLit, StringPart } from "./ast.ts";
import { isIdentifier } from "./builders.ts";
import { group, lineBreak, nest, newline, offset, type Doc } from "./doc.ts";
import { chooseIndented, escapeDouble, escapeIndented, literalRuns } from "./strings.ts";

export function intLiteral(value: bigint): string {
  // The literal 9223372036854775808 does not exist, so the minimum is written as a subtraction.
  if (value === -(2n ** 63n)) return "(-9223372036854775807 - 1)";
  return value.toString();
}

export function floatLiteral(value: number): string {
  const negative = value < 0 || Object.is(value, -0);
  let text = Math.abs(value).toString();
  const [mantissa, exponent] = text.split("e") as [string, string | undefined];
  const withDot = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  text = exponent === undefined ? withDot : `${withDot}e${exponent}`;
  return negative ? `-${text}` : text;
}

/** How an interpolation `${e}` prints: alone on its string line, or among text. */
export type Interpolation = (e: Expr, alone: boolean) => Doc;

/** One line of a string: its text, then what follows indented as far as the text is. */
function lineDoc(parts: readonly (string | Expr)[], interpolation: Interpolation): Doc {
  const first = parts[0]!;
  if (parts.length === 1) return typeof first === "string" ? first : interpolation(first, true);
  if (typeof first !== "string") return partsDoc(parts, 0, interpolation);
  const indentation = first.length - first.trimStart().length;
  return [first, offset(indentation, partsDoc(parts, 1, interpolation))];
}

function partsDoc(
  parts: readonly (string | Expr)[],
  from: number,
  interpolation: Interpolation,
): Doc[] {
  const docs: Doc[] = [];
  for (let i = from; i < parts.length; i++) {
    const p = parts[i]!;
    docs.push(typeof p === "string" ? p : interpolation(p, false));
  }
  return docs;
}

export function stringDoc(s: StringLit, interpolation: Interpolation): Doc {
  const parts = literalRuns(s.parts);
  return chooseIndented(s)
    ? indentedStringDoc(parts, interpolation)
    : group('"', lineDoc(doubleParts(parts), interpolation), '"');
}

/** A `"` string is one line: its newlines are written as `\n`. */
function doubleParts(parts: readonly StringPart[]): (string | Expr)[] {
  return parts.map((part, i) =>
    typeof part === "string" ? escapeDouble(part, parts[i + 1] !== undefined) : part,
  );
}

/** `''` strings: the lines of the value, one level deeper than the quotes. */
function indentedStringDoc(parts: readonly StringPart[], interpolation: Interpolation): Doc {
  const body: Doc[] = [];
  const line: (string | Expr)[] = []; // reused: lineDoc keeps none of it
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part !== "string") {
      line.push(part);
      continue;
    }
    const escaped = escapeIndented(part, parts[i + 1] !== undefined, i === parts.length - 1);
    for (let from = 0; ;) {
      const nl = escaped.indexOf("\n", from);
      const text = nl < 0 ? escaped.slice(from) : escaped.slice(from, nl);
      if (text !== "") line.push(text);
      if (nl < 0) break;
      if (line.length > 0) body.push(lineDoc(line, interpolation));
      body.push(newline);
      line.length = 0;
      from = nl + 1;
    }
  }
  body.push(line.length === 0 ? [] : lineDoc(line, interpolation));
  return group("''", body.length > 1 ? lineBreak : [], nest(body), "''");
}

export function attrNameDoc(name: AttrName, interpolation: Interpolation): Doc {
  if (typeof name !== "string") return interpolation(name.interpolated, false);
  return isIdentifier(name) ? name : group('"', escapeDouble(name, false), '"');
}
