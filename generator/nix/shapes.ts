// The shapes the layout rules ask about: terms, blocks that can open at the end of a line
// (absorbable), expressions short enough to keep whole (simple).

import { isIdentifier } from "./builders.ts";
import type { Expr } from "./ast.ts";
import { Prec, at, type P } from "./precedence.ts";
import { chooseIndented } from "./strings.ts";

/** Sets, non-empty lists and multi-line strings open a block at the end of a line. */
export function isAbsorbable(e: P): boolean {
  switch (e.kind) {
    case "attrs":
      return e.bindings.length > 0;
    case "list":
      return e.items.length > 0;
    case "string":
      return chooseIndented(e);
    case "paren":
      return isTerm(e.expr) && isAbsorbable(e.expr);
    default:
      return false;
  }
}

/** What the grammar calls a term: what may be selected from or be a list item. */
export function isTerm(e: P): boolean {
  switch (e.kind) {
    case "null":
    case "bool":
    case "string":
    case "path":
    case "ident":
    case "attrs":
    case "list":
    case "select":
    case "paren":
      return true;
    case "int":
      return e.value >= 0n;
    case "float":
      return !(e.value < 0 || Object.is(e.value, -0));
    default:
      return false;
  }
}

/** An absorbable term, a `with` or a function of plain parameters ending in one. */
export function isAbsorbableExpr(e: P): boolean {
  if (isAbsorbable(e)) return true;
  if (e.kind === "with") return isAbsorbable(e.body);
  if (e.kind === "lambda" && e.param.kind === "identParam") {
    return isAbsorbable(e.body) || (e.body.kind === "lambda" && isAbsorbableExpr(e.body));
  }
  return false;
}

/** Short enough to keep whole on a line: names, paths, strings, selections, two arguments. */
export function isSimple(e: P): boolean {
  switch (e.kind) {
    case "string":
    case "ident":
    case "null":
    case "bool":
    case "path":
      return true;
    case "int":
    case "float":
      return isTerm(e);
    case "select":
      return (
        e.or === null &&
        e.path.every((n) => typeof n === "string" && isIdentifier(n)) &&
        isSimple(selectBase(e.expr))
      );
    case "paren":
      return isSimple(e.expr);
    case "apply":
      if (e.fn.kind === "apply" && e.fn.fn.kind === "apply") return false;
      return isSimple(at(e.fn, Prec.Apply)) && isSimple(at(e.arg, Prec.Select));
    default:
      return false;
  }
}

/** The base of a selection: a path or number before `.` would lex as part of the literal. */
export function selectBase(e: Expr): P {
  const literal = e.kind === "path" || e.kind === "int" || e.kind === "float";
  return literal ? { kind: "paren", expr: e } : at(e, Prec.Atom);
}
