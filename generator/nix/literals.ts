// Literals as the printer writes them: integers and floats exactly (every 64-bit integer, every
// normal float), strings in the form that reproduces their value (chosen and escaped by
// strings.ts), and attribute names quoted when they are not identifiers. Interpolated
// expressions are printed by the caller's `inner`.

import type { AttrName, Expr, StringLit, StringPart } from "./ast.ts";
import { isIdentifier } from "./builders.ts";
import { concat, hardline, indent, type Doc } from "./doc.ts";
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

export function stringDoc(s: StringLit, inner: (e: Expr) => Doc): Doc {
  const parts = literalRuns(s.parts);
  return chooseIndented(s) ? indentedStringDoc(parts, inner) : doubleStringDoc(parts, inner);
}

function doubleStringDoc(parts: readonly StringPart[], inner: (e: Expr) => Doc): Doc {
  const docs: Doc[] = ['"'];
  parts.forEach((part, i) => {
    if (typeof part === "string") {
      docs.push(escapeDouble(part, parts[i + 1] !== undefined));
    } else {
      docs.push("${", inner(part), "}");
    }
  });
  docs.push('"');
  return concat(...docs);
}

/** `''` strings: the opening quotes end the line; content lines sit one level deeper. */
function indentedStringDoc(parts: readonly StringPart[], inner: (e: Expr) => Doc): Doc {
  const lines: Doc[][] = [[]];
  parts.forEach((part, i) => {
    if (typeof part !== "string") {
      lines[lines.length - 1]!.push("${", inner(part), "}");
      return;
    }
    const escaped = escapeIndented(part, parts[i + 1] !== undefined, i === parts.length - 1);
    escaped.split("\n").forEach((text, j) => {
      if (j > 0) lines.push([]);
      lines[lines.length - 1]!.push(text);
    });
  });
  const last = lines[lines.length - 1]!;
  const endsWithNewline = last.length === 1 && last[0] === "";
  const content = endsWithNewline ? lines.slice(0, -1) : lines;
  const body = content.map((l) => concat(hardline, ...l));
  return endsWithNewline
    ? concat("''", indent(...body), hardline, "''")
    : concat("''", indent(...body, "''"));
}

export function attrNameDoc(name: AttrName, inner: (e: Expr) => Doc): Doc {
  if (typeof name !== "string") return concat("${", inner(name.interpolated), "}");
  return isIdentifier(name) ? name : `"${escapeDouble(name, false)}"`;
}
