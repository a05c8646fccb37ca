// The Nix printer: the AST as a layout document in the standard Nix style, the layout nixfmt
// gives (RFC 166): sets and lists of two or more items expanded, values that open a block
// absorbed after `=` and as last arguments, function arguments kept on the line while they fit.

import type { AttrName, Binding, Expr, NixFile, Param } from "./ast.ts";
import {
  comment,
  emptyline,
  build,
  group,
  hardline,
  hardspace,
  join,
  line,
  lineBreak,
  nest,
  priority,
  softbreak,
  softline,
  trailing,
  transparent,
  type Doc,
} from "./doc.ts";
import { layout } from "./layout.ts";
import { attrNameDoc, floatLiteral, intLiteral, stringDoc } from "./literals.ts";
import { Prec, at, type P } from "./precedence.ts";
import { prettyApp, unexpand } from "./apply.ts";
import { BLOCK_OPERATORS, binaryDoc, chainDoc, operatorChain } from "./operators.ts";
import { isAbsorbable, isAbsorbableExpr, isSimple, isTerm, selectBase } from "./shapes.ts";

export interface PrintOptions {
  /** Line width, indentation not counted (default 100). */
  width?: number;
}

/** Print an expression, or a whole file with its header comments, ending with a newline. */
export function printNix(node: Expr | NixFile, options: PrintOptions = {}): string {
  const width = options.width ?? 100;
  const file = "header" in node && "expr" in node && !("kind" in node);
  const header = file ? node.header.flatMap((l) => [commentLine(l), hardline]) : [];
  const expr = file ? node.expr : (node as Expr);
  return layout(build(group(header, topLevel(expr))), width);
}

/** A file-level function with formals (a package file) gets an empty line before its body. */
function topLevel(expr: Expr): Doc {
  return expr.kind === "lambda" && expr.param.kind === "formals"
    ? lambdaDoc(expr.param, expr.body, true)
    : pretty(expr);
}

const INT_MIN = -(2n ** 63n);

const commentLine = (text: string): Doc => comment(text === "" ? "#" : `# ${text}`);

export function pretty(e: P): Doc {
  switch (e.kind) {
    case "list":
      return group(prettyTerm(e));
    case "keyword":
      return e.name;
    case "with":
      return [group("with", hardspace, nest(group(pretty(e.scope))), ";"), line, pretty(e.body)];
    case "let":
      return [
        group("let", hardline, nest(bindingsDoc(e.bindings))),
        hardline,
        group("in", hardline, pretty(e.body)),
      ];
    case "assert":
      return group(assertDoc(e.cond), ";", hardline, pretty(e.body));
    case "if":
      return group(ifDoc(line, e));
    case "lambda":
      return lambdaDoc(e.param, e.body, false);
    case "apply":
      return prettyApp(false, [], false, at(e.fn, Prec.Apply), at(e.arg, Prec.Select));
    case "binary":
      return binaryDoc(e);
    case "hasAttr":
      return [pretty(at(e.expr, Prec.Negate)), softline, "?", hardspace, attrPathDoc(e.path)];
    case "unary":
      // `-./a` would lex as one relative path.
      return [
        e.op,
        pretty(
          e.op === "-" && e.expr.kind === "path"
            ? { kind: "paren", expr: e.expr }
            : at(e.expr, e.op === "!" ? Prec.Not : Prec.Negate),
        ),
      ];
    default:
      return prettyTerm(e);
  }
}

/** A term without the group a list gets. */
export function prettyTerm(e: P): Doc {
  switch (e.kind) {
    case "null":
      return "null";
    case "bool":
      return e.value ? "true" : "false";
    case "int":
      // The literal 9223372036854775808 does not exist: the minimum is a subtraction.
      return e.value === INT_MIN
        ? parenDoc({
            kind: "binary",
            op: "-",
            left: { kind: "int", value: INT_MIN + 1n },
            right: { kind: "int", value: 1n },
          })
        : intLiteral(e.value);
    case "float":
      return floatLiteral(e.value);
    case "string":
      return stringDoc(e, interpolationDoc);
    case "path":
      return e.value;
    case "ident":
      return e.name;
    case "attrs":
      return setDoc(false, e.rec, e.bindings);
    case "list":
      return listDoc(e, hardline);
    case "select":
      return selectDoc(e.expr, e.path, e.or);
    case "paren":
      return parenDoc(e.expr);
    default:
      return pretty(e);
  }
}

/** `[ ]`, or the items separated by `sep` between the brackets. */
export function listDoc(e: Extract<Expr, { kind: "list" }>, sep: Doc): Doc {
  if (e.items.length === 0) return ["[", hardspace, "]"];
  const items = itemsDoc(e.items, (item) => group(pretty(at(item.value, Prec.Select))), sep);
  return ["[", line, nest(items), line, "]"];
}

/** A set as a binding value or absorbed argument (`wide`) always expands. */
export function prettyTermWide(e: P): Doc {
  return e.kind === "attrs" ? setDoc(true, e.rec, e.bindings) : prettyTerm(e);
}

function setDoc(wide: boolean, rec: boolean, bindings: readonly Binding[]): Doc {
  const open = rec ? ["rec", hardspace, "{"] : "{";
  if (bindings.length === 0) return [open, hardspace, "}"];
  const sep = wide ? hardline : line;
  return [open, sep, nest(bindingsDoc(bindings)), sep, "}"];
}

/** Items of a set, let or list: comments above each, blank lines kept. */
function itemsDoc<T extends { comments: readonly string[]; blankBefore: boolean }>(
  items: readonly T[],
  body: (item: T) => Doc,
  sep: Doc = hardline,
): Doc {
  const docs: Doc[] = [];
  items.forEach((item, i) => {
    if (i > 0) docs.push(sep);
    if (i > 0 && item.blankBefore) docs.push(emptyline);
    if (item.comments.length > 0) {
      docs.push(hardline);
      for (const c of item.comments) docs.push(commentLine(c), hardline);
    }
    docs.push(body(item));
  });
  return docs;
}

function bindingsDoc(bindings: readonly Binding[]): Doc {
  return itemsDoc(bindings, (b) => group(bindingDoc(b)));
}

function bindingDoc(b: Binding): Doc {
  if (b.kind === "binding") {
    return [attrPathDoc(b.path), nest(hardspace, "=", nest(absorbRHS(b.value))), ";"];
  }
  // One line only for a few names (the formatter keeps an inherit on one line only then).
  const names = b.names.map((n) => attrNameDoc(n, interpolationDoc));
  const [sep, end] = names.length < 4 ? [line, lineBreak] : [hardline, hardline];
  if (b.from === null) return ["inherit", sep, nest(join(sep, names), end, ";")];
  const from = group(line, pretty({ kind: "paren", expr: b.from }));
  return ["inherit", nest(from, sep, join(sep, names), end, ";")];
}

/** The value after `=` (or `?` of a formal). */
export function absorbRHS(value: Expr): Doc {
  const e: P = value;
  // A set of one inherit may stay on one line.
  const lone = e.kind === "attrs" && e.bindings.length === 1 && e.bindings[0]!.kind === "inherit";
  if (isAbsorbableExpr(e)) return [hardspace, group(absorbExpr(!lone, e))];
  if (e.kind === "string" || (e.kind === "path" && !e.value.startsWith("<"))) {
    return [hardspace, group(pretty(e))];
  }
  if (isTerm(e)) return group(line, pretty(e));
  if (e.kind === "apply")
    return prettyApp(false, line, false, at(e.fn, Prec.Apply), at(e.arg, Prec.Select));
  if (e.kind === "with") return group(line, pretty(e));
  if (e.kind === "binary" && BLOCK_OPERATORS.has(e.op)) {
    const chain = operatorChain(e);
    const [first, second] = chain;
    // `x = [` ... `] ++ rest`: a block first, the rest of the chain below it.
    if (isTerm(first!) && isAbsorbable(first!))
      return [hardspace, group(chainDoc(e.op, chain, true))];
    if (chain.length === 2 && isTerm(second!) && isAbsorbable(second!)) {
      const last = transparent(e.op, hardspace, priority(prettyTermWide(second!)));
      return group(line, pretty(first!), line, last);
    }
    if (chain.length === 2 && second!.kind === "apply") {
      const app = prettyApp(
        false,
        [e.op, hardspace],
        false,
        at(second.fn, Prec.Apply),
        at(second.arg, Prec.Select),
      );
      return [line, group(pretty(first!)), line, app];
    }
  }
  return [line, group(pretty(e))];
}

export function absorbExpr(wide: boolean, e: P): Doc {
  if (isAbsorbable(e)) return wide ? prettyTermWide(e) : prettyTerm(e);
  if (e.kind === "with" && isAbsorbable(e.body)) {
    return group(
      lineBreak,
      "with",
      hardspace,
      nest(group(pretty(e.scope))),
      ";",
      hardspace,
      priority(prettyTermWide(e.body)),
    );
  }
  return pretty(e);
}

/** `( e )`: absorbed blocks and applications start on the line of the parenthesis. */
function parenDoc(e: Expr): Doc {
  return group("(", nest(parenInner(e)), ")");
}

/** The content of parentheses, or of an interpolation alone on its string line. */
function parenInner(e: Expr): Doc {
  if (isAbsorbableExpr(e)) return group(absorbExpr(false, e));
  if (e.kind === "apply")
    return prettyApp(true, [], true, at(e.fn, Prec.Apply), at(e.arg, Prec.Select));
  if (e.kind !== "select") return [lineBreak, group(pretty(e)), lineBreak];
  return isAbsorbable(selectBase(e.expr))
    ? [lineBreak, group(pretty(e)), lineBreak]
    : [group(pretty(e)), lineBreak];
}

function selectDoc(base: Expr, path: readonly AttrName[], or: Expr | null): Doc {
  const b = selectBase(base);
  const token = b.kind === "ident" || b.kind === "null" || b.kind === "bool";
  const sep = token ? [] : b.kind === "paren" ? softbreak : lineBreak;
  const selectors = path.map((n) => [".", attrNameDoc(n, interpolationDoc)]);
  const fallback =
    or === null ? [] : [softline, nest("or", hardspace, pretty(at(or, Prec.Select)))];
  return [pretty(b), sep, selectors, fallback];
}

const attrPathDoc = (path: readonly AttrName[]): Doc =>
  join(
    ".",
    path.map((n) => attrNameDoc(n, interpolationDoc)),
  );

/** `${e}` in a string or an attribute name. */
function interpolationDoc(e: Expr, alone: boolean): Doc {
  if (alone) return group("${", nest(parenInner(e)), "}");
  if (isAbsorbable(e)) return group("${", prettyTerm(e), "}");
  if (isSimple(e)) return ["${", unexpand(pretty(e)) ?? pretty(e), "}"];
  const whole = group(pretty(e));
  return group("${", unexpand(whole, 30) ?? [lineBreak, nest(whole), lineBreak], "}");
}

function lambdaDoc(param: Param, body: Expr, blankAfterParams: boolean): Doc {
  if (param.kind === "identParam") return group(lineBreak, param.name, ":", absorbAbs(1, body));
  const blank = blankAfterParams ? emptyline : [];
  if (isAbsorbable(body)) return [paramDoc(param), ":", line, blank, group(prettyTermWide(body))];
  return [paramDoc(param), ":", line, blank, pretty(body)];
}

function absorbAbs(depth: number, body: Expr): Doc {
  if (body.kind === "lambda" && body.param.kind === "identParam") {
    return [hardspace, body.param.name, ":", absorbAbs(depth + 1, body.body)];
  }
  if (isAbsorbableExpr(body)) return [hardspace, priority(absorbExpr(false, body))];
  return [depth <= 2 ? line : hardline, pretty(body)];
}

function paramDoc(p: Param): Doc {
  if (p.kind === "identParam") return p.name;
  const count = p.formals.length + (p.ellipsis ? 1 : 0);
  let set: Doc;
  if (count === 0) set = group("{", hardspace, "}");
  else {
    const plain = p.formals.every((f) => f.default === null) && p.formals.length <= 2;
    const sep = plain ? line : hardline;
    const items: Doc[] = p.formals.map((f, i) => {
      const last = i === p.formals.length - 1 && !p.ellipsis;
      const name =
        f.default === null ? f.name : [f.name, hardspace, nest("?", nest(absorbRHS(f.default)))];
      if (last) return [f.default === null ? name : group(name), trailing(",")];
      return f.default === null ? [name, ","] : group(name, ",");
    });
    if (p.ellipsis) items.push("...");
    set = group("{", sep, nest(join(sep, items)), sep, "}");
  }
  return p.bind === null ? set : [p.bind, "@", set];
}

/** `if c then a else b`; `else if` chains always break. */
function ifDoc(sep: Doc, e: Extract<Expr, { kind: "if" }>): Doc {
  const head = group("if", line, nest(pretty(e.cond)), line, "then");
  const otherwise =
    e.else.kind === "if" ? ifDoc(hardline, e.else) : [line, nest(group(pretty(e.else)))];
  return [head, sep, nest(group(pretty(e.then))), sep, "else", hardspace, otherwise];
}

/** `assert c;` prints as the function `assert` applied to the condition's arguments. */
function assertDoc(cond: Expr): Doc {
  const args: P[] = [];
  let fn: P = cond;
  while (fn.kind === "apply") {
    args.unshift(at(fn.arg, Prec.Select));
    fn = at(fn.fn, Prec.Apply);
  }
  const spine = [{ kind: "keyword", name: "assert" } as P, fn, ...args];
  const build = (n: number): P =>
    n === 1 ? spine[0]! : ({ kind: "apply", fn: build(n - 1), arg: spine[n - 1] } as unknown as P);
  const app = build(spine.length);
  if (app.kind !== "apply") return pretty(app);
  return prettyApp(false, [], false, app.fn as P, app.arg as P);
}
