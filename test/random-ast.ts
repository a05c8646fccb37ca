// Random Nix ASTs for property tests, and a canonical rendering of them: one line, every compound
// expression in parentheses. The canonical form is correct by construction, so when the printer's
// output and it parse to the same tree, the printer kept the structure.

import {
  nix,
  printNix,
  type AttrName,
  type Binding,
  type Expr,
  type StringPart,
} from "../generator/nix/index.ts";
import { escapeDouble } from "../generator/nix/strings.ts";
import { floatLiteral, intLiteral } from "../generator/nix/literals.ts";
import { isIdentifier } from "../generator/nix/builders.ts";

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Variables the generated expressions may use; the test binds them all. */
export const FREE_VARIABLES = ["a", "b", "c", "f", "g", "u", "v", "w", "x-y", "x'"];
const NAMES = ["a", "b", "c", "d", "e", "name", "if", "or", "a b", "1x", "ünï", "$x", ""];
const STRINGS = [
  "",
  "plain",
  'with "quotes"',
  "${not}",
  "$${x}",
  "''",
  "line\nbreak\n",
  "  indented\n    more\n",
  "tab\there",
  "cr\r\n",
  "back\\slash",
  "é☃",
];
const PATHS = ["./a", "./a/b.nix", "../up", "/abs/path", "~/home", "<nixpkgs>", "<nixpkgs/lib>"];
const OPS = [
  "++",
  "*",
  "/",
  "+",
  "-",
  "//",
  "<",
  "<=",
  ">",
  ">=",
  "==",
  "!=",
  "&&",
  "||",
  "->",
] as const;

export interface RandomOptions {
  /** Binding names are identifiers only (no quoted or interpolated names). */
  readonly plainBindingNames?: boolean;
}

export function randomExpr(next: () => number, depth = 4, options: RandomOptions = {}): Expr {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const leaf = (): Expr => {
    switch (Math.floor(next() * 7)) {
      case 0:
        return pick([nix.null(), nix.bool(true), nix.bool(false)]);
      case 1:
        return nix.int(pick([0n, 1n, -7n, 2n ** 63n - 1n, -(2n ** 63n), 42n]));
      case 2:
        return nix.float(pick([0.5, -2.25, 1e21, 5e-7, 3.0, 123.456]));
      case 3:
        return nix.path(pick(PATHS));
      case 4:
        return nix.string(pick(STRINGS), pick(["auto", "double", "indented"] as const));
      default:
        return nix.ident(pick(FREE_VARIABLES));
    }
  };
  if (depth <= 0 || next() < 0.2) return leaf();
  const sub = () => randomExpr(next, depth - 1, options);
  const names = (count: number): string[] => {
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(pick(NAMES));
    return [...chosen];
  };
  const bindings = (allowDynamic: boolean): Binding[] =>
    names(1 + Math.floor(next() * 3)).map((name, i) => {
      const comment = next() < 0.2 ? { comment: "a comment" } : {};
      if (i === 0 && next() < 0.2)
        return nix.inherit(
          ["u", "v"].filter(() => next() < 0.8).concat("w"),
          next() < 0.5 ? nix.ident("f") : null,
        );
      const plain = options.plainBindingNames === true;
      const path: AttrName[] = [plain && !isIdentifier(name) ? `n${i}` : name];
      if (next() < 0.3) path.push(plain ? "p" : pick(NAMES));
      if (allowDynamic && !plain && next() < 0.15) path.push({ interpolated: sub() });
      return nix.bind(path, sub(), { ...comment, blankBefore: next() < 0.2 });
    });
  switch (Math.floor(next() * 14)) {
    case 0:
      return nix.attrs(bindings(true), next() < 0.2);
    case 1:
      return nix.list(
        Array.from({ length: Math.floor(next() * 6) }, () =>
          next() < 0.2 ? nix.item(sub(), { comment: "item" }) : sub(),
        ),
      );
    case 2:
      return nix.let(bindings(false), sub());
    case 3: {
      if (next() < 0.5) return nix.lambda(pick(["p", "q", "arg"]), sub());
      const formals = names(Math.floor(next() * 3))
        .filter(isIdentifier)
        .map((n) => nix.formal(n, next() < 0.4 ? sub() : null));
      return nix.lambda(
        { formals, ellipsis: next() < 0.3, ...(next() < 0.2 ? { bind: "args" } : {}) },
        sub(),
      );
    }
    case 4:
    case 5:
      return nix.call(sub(), ...Array.from({ length: 1 + Math.floor(next() * 3) }, sub));
    case 6:
      return nix.select(
        sub(),
        [pick(NAMES), ...(next() < 0.3 ? [pick(NAMES)] : [])],
        next() < 0.3 ? sub() : null,
      );
    case 7:
      return nix.hasAttr(sub(), [pick(NAMES)]);
    case 8:
      return nix.unary(pick(["!", "-"] as const), sub());
    case 9:
    case 10:
      return nix.binary(pick(OPS), sub(), sub());
    case 11:
      return nix.if(sub(), sub(), sub());
    case 12:
      return next() < 0.5 ? nix.with(sub(), sub()) : nix.assert(sub(), sub());
    default: {
      const parts: StringPart[] = [pick(STRINGS), sub(), pick(STRINGS)];
      return nix.string(parts, pick(["auto", "double", "indented"] as const));
    }
  }
}

const p = (s: string) => `(${s})`;

function name(n: AttrName): string {
  if (typeof n !== "string") return `\${${canonical(n.interpolated)}}`;
  return isIdentifier(n) ? n : `"${escapeDouble(n, false)}"`;
}

function bindingText(b: Binding): string {
  if (b.kind === "inherit") {
    return `inherit ${b.from === null ? "" : `(${canonical(b.from)}) `}${b.names.map(name).join(" ")};`;
  }
  return `${b.path.map(name).join(".")} = ${p(canonical(b.value))};`;
}

/** Single-line, fully parenthesised Nix for `e`. */
export function canonical(e: Expr): string {
  switch (e.kind) {
    case "null":
      return "null";
    case "bool":
      return String(e.value);
    case "int":
      return p(intLiteral(e.value));
    case "float":
      return p(floatLiteral(e.value));
    case "path":
      return p(e.value);
    case "ident":
      return e.name;
    case "string": {
      // The string's own text comes from the printer (its quoting is proven by the value tests;
      // Nix parses escapes in '' strings into extra pieces), its interpolations from here.
      const holes = e.parts.filter((part) => typeof part !== "string");
      const text = printNix({
        ...e,
        parts: e.parts.map((part, i) => (typeof part === "string" ? part : nix.ident(`hole${i}`))),
      });
      let n = 0;
      return text.slice(0, -1).replace(/\$\{hole\d+\}/g, () => `\${${canonical(holes[n++]!)}}`);
    }
    case "attrs":
      return `${e.rec ? "rec " : ""}{ ${e.bindings.map(bindingText).join(" ")} }`;
    case "list":
      return `[ ${e.items.map((i) => p(canonical(i.value))).join(" ")} ]`;
    case "let":
      return p(`let ${e.bindings.map(bindingText).join(" ")} in ${p(canonical(e.body))}`);
    case "lambda": {
      const param =
        e.param.kind === "identParam"
          ? e.param.name
          : `${e.param.bind === null ? "" : `${e.param.bind}@`}{ ${[
              ...e.param.formals.map((f) =>
                f.default === null ? f.name : `${f.name} ? ${p(canonical(f.default))}`,
              ),
              ...(e.param.ellipsis ? ["..."] : []),
            ].join(", ")} }`;
      return p(`${param}: ${p(canonical(e.body))}`);
    }
    case "apply":
      return p(`${p(canonical(e.fn))} ${p(canonical(e.arg))}`);
    case "select":
      return p(
        `${p(canonical(e.expr))}.${e.path.map(name).join(".")}${e.or === null ? "" : ` or ${p(canonical(e.or))}`}`,
      );
    case "hasAttr":
      return p(`${p(canonical(e.expr))} ? ${e.path.map(name).join(".")}`);
    case "unary":
      return p(`${e.op}${p(canonical(e.expr))}`);
    case "binary":
      return p(`${p(canonical(e.left))} ${e.op} ${p(canonical(e.right))}`);
    case "if":
      return p(
        `if ${p(canonical(e.cond))} then ${p(canonical(e.then))} else ${p(canonical(e.else))}`,
      );
    case "with":
      return p(`with ${p(canonical(e.scope))}; ${p(canonical(e.body))}`);
    case "assert":
      return p(`assert ${p(canonical(e.cond))}; ${p(canonical(e.body))}`);
  }
}
