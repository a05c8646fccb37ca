// The Nix printer: turns the AST into a layout document in the standard Nix style (2-space
// indent, soft width limit, one item per line when expanded) and renders it.

import type { AttrName, BinaryOp, Binding, Expr, ListItem, NixFile, Param } from "./ast.ts";
import {
  type Doc,
  concat,
  group,
  hardline,
  hasHardLine,
  indent,
  join,
  layout,
  line,
  softline,
  breakAll,
} from "./doc.ts";
import { chooseIndented } from "./strings.ts";
import { attrNameDoc, floatLiteral, intLiteral, stringDoc } from "./literals.ts";

export interface PrintOptions {
  /** Soft line width (default 100). */
  width?: number;
}

/** Print an expression, or a whole file with its header comments, ending with a newline. */
export function printNix(node: Expr | NixFile, options: PrintOptions = {}): string {
  const width = options.width ?? 100;
  if ("header" in node && "expr" in node && !("kind" in node)) {
    const header = node.header.map((l) => commentLine(l));
    const body = topLevel(node.expr);
    return layout(concat(...header.flatMap((h) => [h, hardline]), body, hardline), width);
  }
  return layout(concat(topLevel(node as Expr), hardline), width);
}

/** A file-level function with formals (a package file) gets an empty line before its body. */
function topLevel(expr: Expr): Doc {
  if (expr.kind === "lambda" && expr.param.kind === "formals") {
    return concat(paramDoc(expr.param), ":", hardline, hardline, doc(expr.body));
  }
  return doc(expr);
}

const commentLine = (text: string): string => (text === "" ? "#" : `# ${text}`);

// Binding strength, loosest first; a child printed below the strength its position needs is
// parenthesised.
const enum Prec {
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

const BINARY: Record<string, { prec: Prec; assoc: "left" | "right" | "none" }> = {
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

function precOf(e: Expr): Prec {
  switch (e.kind) {
    case "lambda":
    case "let":
    case "if":
    case "with":
    case "assert":
      return Prec.Open;
    case "binary":
      return BINARY[e.op]!.prec;
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

/** Print `e` where at least strength `min` is required, adding parentheses otherwise. */
function at(e: Expr, min: Prec): Doc {
  return precOf(e) < min ? parenthesised(e) : doc(e);
}

/** `( e )`: on one line when it fits, else the body indented between lines of their own. */
function parenthesised(e: Expr): Doc {
  return group("(", indent(softline, doc(e)), softline, ")");
}

function doc(e: Expr): Doc {
  switch (e.kind) {
    case "null":
      return "null";
    case "bool":
      return e.value ? "true" : "false";
    case "int":
      return intLiteral(e.value);
    case "float":
      return floatLiteral(e.value);
    case "string":
      return stringDoc(e, doc);
    case "path":
      return e.value;
    case "ident":
      return e.name;
    case "attrs":
      return attrsDoc(e.rec, e.bindings);
    case "list":
      return listDoc(e.items);
    case "let":
      return concat(
        "let",
        indent(hardline, bindingsDoc(e.bindings)),
        hardline,
        "in",
        hardline,
        doc(e.body),
      );
    case "lambda":
      return lambdaDoc(e.param, e.body);
    case "apply":
      return applyDoc(e);
    case "select": {
      // A path or number directly before `.` would lex as part of the literal.
      const literal = e.expr.kind === "path" || e.expr.kind === "int" || e.expr.kind === "float";
      const base = literal ? parenthesised(e.expr) : at(e.expr, Prec.Atom);
      const path = concat(base, ".", attrPathDoc(e.path));
      return e.or === null ? path : concat(path, " or ", at(e.or, Prec.Select));
    }
    case "hasAttr":
      return concat(at(e.expr, Prec.Negate), " ? ", attrPathDoc(e.path));
    case "unary":
      // `-./a` would lex as one relative path.
      return e.op === "-" && e.expr.kind === "path"
        ? concat("-", parenthesised(e.expr))
        : concat(e.op, at(e.expr, e.op === "!" ? Prec.Not : Prec.Negate));
    case "binary":
      return binaryDoc(e.op, e.left, e.right);
    case "if":
      return ifDoc(e.cond, e.then, e.else);
    case "with":
      return absorbable(e.body)
        ? concat("with ", doc(e.scope), "; ", doc(e.body))
        : group("with ", doc(e.scope), ";", line, doc(e.body));
    case "assert":
      return concat("assert ", doc(e.cond), ";", hardline, doc(e.body));
  }
}

const attrNameOf = (name: AttrName): Doc => attrNameDoc(name, doc);
const attrPathDoc = (path: readonly AttrName[]): Doc => join(".", path.map(attrNameOf));

/** Comments and blank line before an item, then the item. */
function withTrivia(
  item: { comments: readonly string[]; blankBefore: boolean },
  body: Doc,
  first: boolean,
): Doc {
  return concat(
    item.blankBefore && !first ? hardline : "",
    ...item.comments.flatMap((c) => [commentLine(c), hardline]),
    body,
  );
}

function bindingsDoc(bindings: readonly Binding[]): Doc {
  return join(
    hardline,
    bindings.map((b, i) => withTrivia(b, bindingDoc(b), i === 0)),
  );
}

function bindingDoc(b: Binding): Doc {
  if (b.kind === "inherit") {
    const from = b.from === null ? "" : concat(" (", doc(b.from), ")");
    const names = b.names.map((n) => attrNameOf(n));
    const inherit = concat("inherit", from, indent(line, join(line, names), softline, ";"));
    return names.length > MAX_INLINE_ITEMS ? breakAll(inherit) : group(inherit);
  }
  return concat(attrPathDoc(b.path), " =", rhsDoc(b.value), ";");
}

/**
 * The right-hand side of `=`: absorbed (starting on the `=` line) when it opens a block; kept on
 * the line when it is a single token that moving down would not shorten; otherwise it moves to
 * the next line, indented, when it does not fit.
 */
function rhsDoc(value: Expr): Doc {
  if (absorbable(value)) return concat(" ", absorbedDoc(value));
  if (absorbsLastArgument(value)) return concat(" ", doc(value));
  if (atomic(value)) return concat(" ", doc(value));
  return group(indent(line, doc(value)));
}

/** An absorbed binding value; a set it ends with is always expanded, so nested sets read as blocks. */
function absorbedDoc(e: Expr): Doc {
  if (e.kind === "attrs") return attrsDoc(e.rec, e.bindings, true);
  if (e.kind === "lambda" && e.param.kind === "identParam") {
    return concat(e.param.name, ": ", absorbedDoc(e.body));
  }
  if (e.kind === "with") return concat("with ", doc(e.scope), "; ", absorbedDoc(e.body));
  return doc(e);
}

/** Terms that can open a block at the end of a line: sets, lists, multi-line strings. */
function absorbable(e: Expr): boolean {
  switch (e.kind) {
    case "attrs":
      return e.bindings.length > 0;
    case "list":
      return e.items.length > 0;
    case "string":
      return chooseIndented(e);
    case "with":
      return absorbable(e.body);
    case "lambda":
      return e.param.kind === "identParam" && (absorbable(e.body) || e.body.kind === "lambda");
    default:
      return false;
  }
}

/** Single tokens: breaking the line before them gains nothing. */
function atomic(e: Expr): boolean {
  return (
    e.kind === "string" ||
    e.kind === "path" ||
    e.kind === "ident" ||
    e.kind === "int" ||
    e.kind === "float" ||
    e.kind === "bool" ||
    e.kind === "null"
  );
}

/** An application whose last argument is absorbable (or parenthesised) keeps it on the line. */
function absorbsLastArgument(e: Expr): boolean {
  return e.kind === "apply" && absorbableArgument(e.arg);
}

function absorbableArgument(arg: Expr): boolean {
  return (
    (absorbable(arg) && arg.kind !== "lambda" && arg.kind !== "with") || precOf(arg) < Prec.Select
  );
}

/** `force`: binding values are always expanded, so nested sets read as blocks. */
function attrsDoc(rec: boolean, bindings: readonly Binding[], force = false): Doc {
  const open = rec ? "rec {" : "{";
  if (bindings.length === 0) return rec ? "rec { }" : "{ }";
  const body = bindingsDoc(bindings);
  const expanded =
    force ||
    bindings.length > 1 ||
    bindings.some((b) => b.comments.length > 0) ||
    hasHardLine(body);
  return expanded
    ? concat(open, indent(hardline, body), hardline, "}")
    : group(open, indent(line, body), line, "}");
}

/** Items simple enough to share a line with their neighbours. */
function simple(e: Expr): boolean {
  switch (e.kind) {
    case "null":
    case "bool":
    case "int":
    case "float":
    case "path":
    case "ident":
      return true;
    case "string":
      return !chooseIndented(e);
    case "select":
      return e.or === null && simple(e.expr);
    default:
      return false;
  }
}

/** Longer lists are expanded even when they would fit: one item per line reads and diffs better. */
const MAX_INLINE_ITEMS = 4;

function listDoc(items: readonly ListItem[]): Doc {
  if (items.length === 0) return "[ ]";
  const docs = items.map((item, i) => withTrivia(item, at(item.value, Prec.Select), i === 0));
  const expanded =
    items.some((i) => i.comments.length > 0 || i.blankBefore) ||
    (items.length > 1 && !items.every((i) => simple(i.value))) ||
    items.length > MAX_INLINE_ITEMS;
  const body = join(expanded ? hardline : line, docs);
  return expanded
    ? concat("[", indent(hardline, body), hardline, "]")
    : group("[", indent(line, body), line, "]");
}

function formalsExpanded(p: Extract<Param, { kind: "formals" }>): boolean {
  return p.formals.length + (p.ellipsis ? 1 : 0) > 1;
}

function paramDoc(p: Param): Doc {
  if (p.kind === "identParam") return p.name;
  const items: Doc[] = p.formals.map((f) =>
    f.default === null ? f.name : concat(f.name, " ? ", doc(f.default)),
  );
  if (p.ellipsis) items.push("...");
  let set: Doc;
  if (items.length === 0) set = "{ }";
  else if (formalsExpanded(p)) {
    // Nix accepts a trailing comma after every formal but not after `...`.
    const lines = items.map((item) => concat(hardline, item, item === "..." ? "" : ","));
    set = concat("{", indent(...lines), hardline, "}");
  } else set = group("{", indent(line, items[0]!), line, "}");
  return p.bind === null ? set : concat(p.bind, "@", set);
}

/** The body is never indented relative to the parameters; blocks and lambdas stay on the line. */
function lambdaDoc(param: Param, body: Expr): Doc {
  if (param.kind === "identParam" && (absorbable(body) || body.kind === "lambda")) {
    return concat(param.name, ": ", doc(body));
  }
  return group(paramDoc(param), ":", line, doc(body));
}

/**
 * `f a b`: on one line when it fits; a last argument that opens a block (or is parenthesised)
 * starts on the line of the function; otherwise every argument gets a line of its own.
 */
function applyDoc(e: Expr): Doc {
  const args: Expr[] = [];
  let fn = e;
  while (fn.kind === "apply") {
    args.unshift(fn.arg);
    fn = fn.fn;
  }
  const head = at(fn, Prec.Apply);
  const argDocs = args.map((a) => at(a, Prec.Select));
  const lastArg = args[args.length - 1]!;
  if (absorbableArgument(lastArg)) {
    const init = argDocs.slice(0, -1);
    return concat(group(head, indent(...init.map((d) => concat(line, d)))), " ", argDocs.at(-1)!);
  }
  return group(head, indent(...argDocs.map((d) => concat(line, d))));
}

/**
 * Operator chains (`a ++ b ++ c`, also mixing operators of equal strength) print as one group:
 * on one line, or with every operator starting a line.
 */
function binaryDoc(op: BinaryOp, left: Expr, right: Expr): Doc {
  const { prec, assoc } = BINARY[op]!;
  const operands: Doc[] = [];
  const collect = (e: Expr, min: Prec): void => {
    if (e.kind === "binary" && BINARY[e.op]!.prec === prec && precOf(e) >= min) {
      collect(e.left, (assoc === "left" ? prec : prec + 1) as Prec);
      operands.push(concat(line, e.op, " "));
      collect(e.right, (assoc === "right" ? prec : prec + 1) as Prec);
    } else operands.push(at(e, min));
  };
  collect({ kind: "binary", op, left, right }, prec);
  return group(...operands);
}

/** `if c then a else b` on one line when it fits; `else if` chains never are, and never creep. */
function ifDoc(cond: Expr, then: Expr, otherwise: Expr, inChain = false): Doc {
  const chain = inChain || otherwise.kind === "if";
  const header = group("if", indent(line, doc(cond)), line, "then");
  const elseDoc =
    otherwise.kind === "if"
      ? concat(" ", ifDoc(otherwise.cond, otherwise.then, otherwise.else, true))
      : indent(line, doc(otherwise));
  const body = concat(header, indent(line, doc(then)), line, "else", elseDoc);
  return chain ? breakAll(body) : group(body);
}
