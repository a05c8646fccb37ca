// Builders for the Nix AST. They reject values that cannot be printed as valid Nix
// (out-of-range integers, NaN, NUL bytes, malformed paths or identifiers) at construction time.

import type {
  AttrBinding,
  AttrName,
  AttrSet,
  Binding,
  BinaryOp,
  Expr,
  Formal,
  Inherit,
  ListItem,
  NixFile,
  Param,
  StringForm,
  StringPart,
  UnaryOp,
} from "./ast.ts";

export class NixBuildError extends Error {
  override name = "NixBuildError";
}

const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;
const IDENT = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
export const KEYWORDS: ReadonlySet<string> = new Set([
  "if",
  "then",
  "else",
  "assert",
  "with",
  "let",
  "in",
  "rec",
  "inherit",
  "or",
]);

/** True when `name` can be written bare as a variable or attribute name. */
export function isIdentifier(name: string): boolean {
  return IDENT.test(name) && !KEYWORDS.has(name);
}

function checkIdentifier(name: string, what: string): string {
  if (!isIdentifier(name)) {
    throw new NixBuildError(`${what} ${JSON.stringify(name)} is not a valid Nix identifier`);
  }
  return name;
}

function checkText(text: string): string {
  if (text.includes("\0")) throw new NixBuildError("Nix strings cannot contain NUL characters");
  return text;
}

/** Options shared by bindings and list items. */
export interface TriviaOptions {
  comment?: string | readonly string[];
  blankBefore?: boolean;
}

function trivia(options: TriviaOptions | undefined) {
  const comment = options?.comment;
  const comments = comment === undefined ? [] : typeof comment === "string" ? [comment] : comment;
  for (const line of comments) {
    if (/[\r\n]/.test(line)) throw new NixBuildError("a comment line cannot contain a line break");
  }
  return { comments: [...comments], blankBefore: options?.blankBefore ?? false };
}

function attrPath(path: string | readonly AttrName[]): AttrName[] {
  const parts = typeof path === "string" ? path.split(".") : [...path];
  if (parts.length === 0) throw new NixBuildError("an attribute path needs at least one name");
  for (const part of parts) if (typeof part === "string") checkText(part);
  return parts;
}

/**
 * Nix rejects a set or let that defines a name twice: the same attribute path twice, a name both
 * inherited and bound, or a path below a binding whose value is not a set literal.
 */
function checkUniqueBindings(bindings: readonly Binding[]): void {
  // A name alone is keyed by itself after a ".", a longer path as JSON (which starts with "["):
  // every set the generator builds is checked, and most paths are one name.
  const staticKey = (path: readonly AttrName[]) =>
    path.length === 1 && typeof path[0] === "string"
      ? `.${path[0]}`
      : path.every((p) => typeof p === "string")
        ? JSON.stringify(path)
        : undefined;
  const defined = new Map<string, AttrBinding | Inherit>();
  const claim = (key: string, b: AttrBinding | Inherit, shown: string) => {
    if (defined.has(key)) throw new NixBuildError(`attribute ${shown} is defined twice`);
    defined.set(key, b);
  };
  let nested = false;
  for (const b of bindings) {
    if (b.kind === "inherit") for (const n of b.names) claim(`.${n}`, b, n);
    else {
      nested ||= b.path.length > 1;
      const key = staticKey(b.path);
      if (key !== undefined) claim(key, b, b.path.join("."));
    }
  }
  if (!nested) return;
  for (const b of bindings) {
    if (b.kind !== "binding") continue;
    for (let i = 1; i < b.path.length; i++) {
      const key = staticKey(b.path.slice(0, i));
      const outer = key === undefined ? undefined : defined.get(key);
      if (outer !== undefined && !(outer.kind === "binding" && outer.value.kind === "attrs")) {
        throw new NixBuildError(
          `attribute ${b.path.join(".")} lies below ${b.path.slice(0, i).join(".")}, which is not a set`,
        );
      }
    }
  }
}

const PATH =
  /^(?:\.{1,2}(?:\/[A-Za-z0-9._+-]+)+|\/[A-Za-z0-9._+-]+(?:\/[A-Za-z0-9._+-]+)*|~(?:\/[A-Za-z0-9._+-]+)+|<[A-Za-z0-9._+-]+(?:\/[A-Za-z0-9._+-]+)*>)$/;

export const nix = {
  null: (): Expr => ({ kind: "null" }),
  bool: (value: boolean): Expr => ({ kind: "bool", value }),
  int(value: number | bigint): Expr {
    if (typeof value === "number" && !Number.isSafeInteger(value)) {
      throw new NixBuildError(`${value} is not an exact integer; pass a bigint`);
    }
    const big = BigInt(value);
    if (big < INT_MIN || big > INT_MAX) {
      throw new NixBuildError(`${big} is outside the 64-bit range of Nix integers`);
    }
    return { kind: "int", value: big };
  },
  float(value: number): Expr {
    if (!Number.isFinite(value)) throw new NixBuildError(`${value} cannot be written in Nix`);
    // Nix reads float literals with strtod and rejects those that underflow to a subnormal.
    if (value !== 0 && Math.abs(value) < 2.2250738585072014e-308) {
      throw new NixBuildError(`${value} is below the smallest normal float, which Nix cannot read`);
    }
    return { kind: "float", value };
  },
  /** A string made of literal text and interpolated expressions. */
  string(parts: string | readonly StringPart[], form: StringForm = "auto"): Expr {
    const list = typeof parts === "string" ? [parts] : parts;
    for (const part of list) if (typeof part === "string") checkText(part);
    return { kind: "string", parts: [...list], form };
  },
  path(value: string): Expr {
    if (!PATH.test(value) || value.endsWith("/")) {
      throw new NixBuildError(`${JSON.stringify(value)} is not a Nix path literal`);
    }
    return { kind: "path", value };
  },
  ident: (name: string): Expr => ({ kind: "ident", name: checkIdentifier(name, "variable") }),

  /** `a.b.c = value;` (path given as "a.b.c" or as a list of names). */
  bind(path: string | readonly AttrName[], value: Expr, options?: TriviaOptions): AttrBinding {
    return { kind: "binding", path: attrPath(path), value, ...trivia(options) };
  },
  inherit(names: readonly string[], from: Expr | null = null, options?: TriviaOptions): Inherit {
    if (names.length === 0) throw new NixBuildError("inherit needs at least one name");
    for (const name of names) checkText(name);
    return { kind: "inherit", names: [...names], from, ...trivia(options) };
  },
  attrs(bindings: readonly Binding[] | Record<string, Expr>, rec = false): AttrSet {
    const list = Array.isArray(bindings)
      ? (bindings as readonly Binding[])
      : Object.entries(bindings).map(([name, value]) => nix.bind([name], value));
    checkUniqueBindings(list);
    return { kind: "attrs", rec, bindings: [...list] };
  },
  recAttrs: (bindings: readonly Binding[]): AttrSet => nix.attrs(bindings, true),
  item: (value: Expr, options?: TriviaOptions): ListItem => ({ value, ...trivia(options) }),
  list(items: readonly (Expr | ListItem)[]): Expr {
    return {
      kind: "list",
      items: items.map((item) =>
        "value" in item && !("kind" in item) ? item : nix.item(item as Expr),
      ),
    };
  },
  let(bindings: readonly Binding[], body: Expr): Expr {
    if (bindings.length === 0) throw new NixBuildError("let needs at least one binding");
    checkUniqueBindings(bindings);
    for (const b of bindings) {
      if (b.kind === "binding" && b.path.some((n) => typeof n !== "string")) {
        throw new NixBuildError("let bindings cannot have interpolated names");
      }
    }
    return { kind: "let", bindings: [...bindings], body };
  },
  formal: (name: string, fallback: Expr | null = null): Formal => ({
    name: checkIdentifier(name, "formal argument"),
    default: fallback,
  }),
  /** `name: body`, or `{ a, b ? d, ... }: body` when given formals. */
  lambda(
    param: string | { formals: readonly (Formal | string)[]; ellipsis?: boolean; bind?: string },
    body: Expr,
  ): Expr {
    let p: Param;
    if (typeof param === "string") {
      p = { kind: "identParam", name: checkIdentifier(param, "parameter") };
    } else {
      const formals = param.formals.map((f) => (typeof f === "string" ? nix.formal(f) : f));
      const seen = new Set<string>();
      for (const f of formals) {
        if (seen.has(f.name)) throw new NixBuildError(`duplicate formal argument ${f.name}`);
        seen.add(f.name);
      }
      p = {
        kind: "formals",
        formals,
        ellipsis: param.ellipsis ?? false,
        bind: param.bind === undefined ? null : checkIdentifier(param.bind, "parameter"),
      };
    }
    return { kind: "lambda", param: p, body };
  },
  /** `fn a b c`. */
  call(fn: Expr, ...args: readonly Expr[]): Expr {
    return args.reduce<Expr>((acc, arg) => ({ kind: "apply", fn: acc, arg }), fn);
  },
  select(expr: Expr, path: string | readonly AttrName[], or: Expr | null = null): Expr {
    return { kind: "select", expr, path: attrPath(path), or };
  },
  hasAttr: (expr: Expr, path: string | readonly AttrName[]): Expr => ({
    kind: "hasAttr",
    expr,
    path: attrPath(path),
  }),
  unary: (op: UnaryOp, expr: Expr): Expr => ({ kind: "unary", op, expr }),
  binary: (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: "binary", op, left, right }),
  if: (cond: Expr, then: Expr, otherwise: Expr): Expr => ({
    kind: "if",
    cond,
    then,
    else: otherwise,
  }),
  with: (scope: Expr, body: Expr): Expr => ({ kind: "with", scope, body }),
  assert: (cond: Expr, body: Expr): Expr => ({ kind: "assert", cond, body }),
  /** `x.a.b` from a dotted string, the usual way to name a package. */
  ref(dotted: string): Expr {
    const [head, ...rest] = dotted.split(".");
    const base = nix.ident(head ?? "");
    return rest.length === 0 ? base : nix.select(base, rest);
  },
  file: (header: readonly string[], expr: Expr): NixFile => {
    for (const line of header) {
      if (/[\r\n]/.test(line)) throw new NixBuildError("a header line cannot contain a line break");
    }
    return { header: [...header], expr };
  },
};
