// Function application in the standard style: as many calls on the first line as fit, each
// argument a priority group (the last tried first) so that a last argument that opens a block
// (`f x {`, `g (y: {`) does not push the others onto lines of their own.

import {
  Sp,
  group,
  hardspace,
  line,
  lineBreak,
  nest,
  priority,
  textWidth,
  transparent,
  type Doc,
} from "./doc.ts";
import { Prec, at, type P } from "./precedence.ts";
import { listDoc, pretty, prettyTerm, prettyTermWide } from "./printer.ts";
import { isAbsorbable, isSimple } from "./shapes.ts";

/**
 * `f a`: `pre` goes before the function inside the group (a line break after `=`), `hasPost`
 * adds a break before what follows (the closing parenthesis), `indentFunction` indents a
 * function that moves to its own line.
 */
export function prettyApp(indentFunction: boolean, pre: Doc, hasPost: boolean, fn: P, arg: P): Doc {
  const renderedF: Doc = [pre, transparent(spine(fn, indentFunction))];
  const compact = isSimple({ kind: "apply", fn, arg } as unknown as P)
    ? unexpand(renderedF)
    : undefined;
  if (compact !== undefined) return group(compact, hardspace, absorbLast(arg));
  return group(renderedF, line, absorbLast(arg), hasPost ? lineBreak : []);
}

/** The function and every argument but the last, each argument a group tried expanded first. */
function spine(f: P, indentFunction: boolean): Doc {
  if (f.kind === "apply") {
    const a = at(f.arg, Prec.Select);
    // A selection expanded first would leave only its `.name` part on the next line.
    const argDoc = a.kind === "select" ? group(absorbInner(a)) : priority(absorbInner(a));
    return [transparent(spine(at(f.fn, Prec.Apply), indentFunction)), line, nest(argDoc)];
  }
  return indentFunction ? nest(group(lineBreak, pretty(f))) : pretty(f);
}

/** An argument before the last: a short list of simple items may stay on one line. */
function absorbInner(arg: P): Doc {
  if (
    arg.kind === "list" &&
    arg.items.length <= 4 &&
    arg.items.every((i) => isSimple(at(i.value, Prec.Select)))
  ) {
    return listDoc(arg, line);
  }
  return pretty(arg);
}

function absorbLast(arg: P): Doc {
  if (isAbsorbable(arg)) return priority(nest(prettyTerm(arg)));
  if (arg.kind !== "paren") return group(nest(pretty(arg)));
  const e = arg.expr;
  // `(x: {`: a function of one argument returning a block.
  if (e.kind === "lambda" && e.param.kind === "identParam" && isAbsorbable(e.body)) {
    return priority(nest("(", e.param.name, ":", hardspace, prettyTermWide(e.body), ")"));
  }
  // `(f {`: a named function applied to a block.
  if (e.kind === "apply" && e.fn.kind === "ident" && isAbsorbable(at(e.arg, Prec.Select))) {
    return priority(nest("(", e.fn.name, hardspace, prettyTermWide(at(e.arg, Prec.Select)), ")"));
  }
  return absorbParen(e);
}

/** A parenthesised last argument: its content on the line, or between lines of its own. */
export function absorbParen(e: P): Doc {
  return priority(nest("(", lineBreak, group(nest(pretty(e))), lineBreak, ")"));
}

/**
 * The document on one line: spaces for breakable spacings, breaks dropped, groups dissolved;
 * undefined when it holds a hard line break, or is wider than `limit`.
 */
export function unexpand(doc: Doc, limit = Infinity): Doc | undefined {
  const budget = { left: limit };
  return compact(doc, budget);
}

function compact(d: Doc, budget: { left: number }): Doc | undefined {
  if (typeof d === "string") {
    budget.left -= textWidth(d);
    return budget.left < 0 ? undefined : d;
  }
  if (Array.isArray(d)) {
    const out: Doc[] = [];
    for (const x of d as readonly Doc[]) {
      const v = compact(x, budget);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  const node = d as Exclude<Doc, string | readonly Doc[]>;
  switch (node.t) {
    case "sp":
      if (node.sp === Sp.Softbreak || node.sp === Sp.Break) return [];
      if (node.sp > Sp.Space) return undefined; // a hard line break
      return (budget.left -= 1) >= 0 ? hardspace : undefined;
    case "rawText":
      budget.left -= textWidth(node.s);
      return budget.left < 0 ? undefined : node;
    case "rawGroup":
      return compact(node.doc, budget);
    case "nest":
    case "offset": {
      const inner = compact(node.doc, budget);
      return inner === undefined ? undefined : { ...node, doc: inner };
    }
  }
}
