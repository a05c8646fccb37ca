// Operators: chains of one operator as one group, comparisons on their own, and the operands
// that may open a block.

import type { Expr } from "./ast.ts";
import { group, hardspace, line, nest, softline, type Doc } from "./doc.ts";
import { prettyApp } from "./apply.ts";
import { Prec, at, operands, type P } from "./precedence.ts";
import { pretty, prettyTermWide } from "./printer.ts";
import { isAbsorbable, isTerm } from "./shapes.ts";

export const COMPARISONS = new Set(["<", ">", "<=", ">=", "==", "!="]);

/** Operators whose operands may open a block on the line of `=`: updates and concatenations. */
export const BLOCK_OPERATORS = new Set(["//", "++", "+"]);

/** Chains of one operator print as one group, each operator starting a line when it breaks. */
export function binaryDoc(e: Extract<Expr, { kind: "binary" }>): Doc {
  if (!COMPARISONS.has(e.op)) return group(chainDoc(e.op, operatorChain(e), false));
  const [l, r] = operands(e.op, e.left, e.right);
  return [pretty(l), softline, e.op, hardspace, pretty(r)];
}

/** The operands of a chain of one operator (`a ++ b ++ c`), parenthesised ones kept whole. */
export function operatorChain(e: Extract<Expr, { kind: "binary" }>): P[] {
  const chain: P[] = [];
  flattenChain(e, e.op, chain);
  return chain;
}

function flattenChain(x: P, op: string, chain: P[]): void {
  if (x.kind !== "binary" || x.op !== op) {
    chain.push(x);
    return;
  }
  const [a, b] = operands(x.op, x.left, x.right);
  flattenChain(a, op, chain);
  flattenChain(b, op, chain);
}

/** A chain: the first operand (a block expanded when `wideFirst`), then each operator starting a line when it breaks. */
export function chainDoc(op: string, chain: readonly P[], wideFirst: boolean): Doc {
  const first = wideFirst ? prettyTermWide(chain[0]!) : pretty(chain[0]!);
  return [first, chain.slice(1).map((x) => [line, op, nest(absorbOperand(x))])];
}

function absorbOperand(x: P): Doc {
  if (isTerm(x) && isAbsorbable(x)) return [hardspace, pretty(x)];
  if (x.kind === "binary") return group(line, pretty(x));
  if (x.kind === "apply")
    return group(prettyApp(false, line, false, at(x.fn, Prec.Apply), at(x.arg, Prec.Select)));
  return [hardspace, pretty(x)];
}
