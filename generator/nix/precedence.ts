// Which expressions need parentheses where: Nix's binding strengths and associativity. The
// printer sees a parenthesised expression as a node of its own (`Paren`), as a parser would.

import type { BinaryOp, Expr } from "./ast.ts";

/** An expression the printer prints in parentheses. */
export interface Paren {
  readonly kind: "paren";
  readonly expr: Expr;
}
/** `assert`, which prints as a function applied to its condition. */
export interface Keyword {
  readonly kind: "keyword";
  readonly name: string;
}
export type P = Expr | Paren | Keyword;

// Binding strength, loosest first; a child printed below the strength its position needs is
// parenthesised.
export const enum Prec {
  Open = 0, // lambda, let, if, with, assert: extend as far right as possible
  Impl = 1,
  Or = 2,
  And = 3,
  Eq = 4,
  Cmp = 5,
  Update = 6,
  Not = 7,
  Add = 8,
  Mul = 9,
  Concat = 10,
  Has = 11,
  Negate = 12,
  Apply = 13,
  Select = 14,
  Atom = 15,
}

export const BINARY: Record<BinaryOp, { prec: Prec; assoc: "left" | "right" | "none" }> = {
  "->": { prec: Prec.Impl, assoc: "right" },
  "||": { prec: Prec.Or, assoc: "left" },
  "&&": { prec: Prec.And, assoc: "left" },
  "==": { prec: Prec.Eq, assoc: "none" },
  "!=": { prec: Prec.Eq, assoc: "none" },
  "<": { prec: Prec.Cmp, assoc: "none" },
  "<=": { prec: Prec.Cmp, assoc: "none" },
  ">": { prec: Prec.Cmp, assoc: "none" },
  ">=": { prec: Prec.Cmp, assoc: "none" },
  "//": { prec: Prec.Update, assoc: "right" },
  "+": { prec: Prec.Add, assoc: "left" },
  "-": { prec: Prec.Add, assoc: "left" },
  "*": { prec: Prec.Mul, assoc: "left" },
  "/": { prec: Prec.Mul, assoc: "left" },
  "++": { prec: Prec.Concat, assoc: "right" },
};

export function precOf(e: Expr): Prec {
  switch (e.kind) {
    case "lambda":
    case "let":
    case "if":
    case "with":
    case "assert":
      return Prec.Open;
    case "binary":
      return BINARY[e.op].prec;
    case "unary":
      return e.op === "!" ? Prec.Not : Prec.Negate;
    case "hasAttr":
      return Prec.Has;
    case "apply":
      return Prec.Apply;
    case "select":
      return Prec.Select;
    case "int":
      return e.value < 0n ? Prec.Negate : Prec.Atom;
    case "float":
      return e.value < 0 || Object.is(e.value, -0) ? Prec.Negate : Prec.Atom;
    default:
      return Prec.Atom;
  }
}

/** `e` where at least strength `min` is required: itself, or in parentheses. */
export const at = (e: Expr, min: Prec): P => (precOf(e) < min ? { kind: "paren", expr: e } : e);

/** The operands of a binary operation, each in parentheses where its position needs them. */
export function operands(op: BinaryOp, left: Expr, right: Expr): [P, P] {
  const { prec, assoc } = BINARY[op];
  return [
    at(left, (assoc === "left" ? prec : prec + 1) as Prec),
    at(right, (assoc === "right" ? prec : prec + 1) as Prec),
  ];
}
