// The Nix expression tree. Templates build these nodes with the `nix` builders; only the
// printer turns them into text, so no Nix syntax is ever assembled by string concatenation.

export type Expr =
  | NullLit
  | BoolLit
  | IntLit
  | FloatLit
  | StringLit
  | PathLit
  | Ident
  | AttrSet
  | ListExpr
  | Let
  | Lambda
  | Apply
  | Select
  | HasAttr
  | Unary
  | Binary
  | If
  | With
  | Assert;

export interface NullLit {
  readonly kind: "null";
}
export interface BoolLit {
  readonly kind: "bool";
  readonly value: boolean;
}
/** 64-bit signed integer, kept as a bigint so the whole range is exact. */
export interface IntLit {
  readonly kind: "int";
  readonly value: bigint;
}
export interface FloatLit {
  readonly kind: "float";
  readonly value: number;
}

/** A piece of a string: literal text or an interpolated expression. */
export type StringPart = string | Expr;
export type StringForm = "auto" | "double" | "indented";
export interface StringLit {
  readonly kind: "string";
  readonly parts: readonly StringPart[];
  readonly form: StringForm;
}

export interface PathLit {
  readonly kind: "path";
  /** `./a/b`, `/abs`, `~/x` or `<nixpkgs>`; checked by the builder. */
  readonly value: string;
}
export interface Ident {
  readonly kind: "ident";
  readonly name: string;
}

/** One component of an attribute path: a name (quoted when needed) or an interpolation. */
export type AttrName = string | { readonly interpolated: Expr };

export interface Trivia {
  /** Line comments printed above the item, one `# ...` line each. */
  readonly comments: readonly string[];
  /** Print an empty line before the item (groups of bindings). */
  readonly blankBefore: boolean;
}

export interface AttrBinding extends Trivia {
  readonly kind: "binding";
  readonly path: readonly AttrName[];
  readonly value: Expr;
}
export interface Inherit extends Trivia {
  readonly kind: "inherit";
  readonly from: Expr | null;
  readonly names: readonly string[];
}
export type Binding = AttrBinding | Inherit;

export interface AttrSet {
  readonly kind: "attrs";
  readonly rec: boolean;
  readonly bindings: readonly Binding[];
}

export interface ListItem extends Trivia {
  readonly value: Expr;
}
export interface ListExpr {
  readonly kind: "list";
  readonly items: readonly ListItem[];
}

export interface Let {
  readonly kind: "let";
  readonly bindings: readonly Binding[];
  readonly body: Expr;
}

export interface Formal {
  readonly name: string;
  readonly default: Expr | null;
}
export type Param =
  | { readonly kind: "identParam"; readonly name: string }
  | {
      readonly kind: "formals";
      readonly formals: readonly Formal[];
      readonly ellipsis: boolean;
      /** `args@{ ... }` when set. */
      readonly bind: string | null;
    };
export interface Lambda {
  readonly kind: "lambda";
  readonly param: Param;
  readonly body: Expr;
}

export interface Apply {
  readonly kind: "apply";
  readonly fn: Expr;
  readonly arg: Expr;
}
export interface Select {
  readonly kind: "select";
  readonly expr: Expr;
  readonly path: readonly AttrName[];
  readonly or: Expr | null;
}
export interface HasAttr {
  readonly kind: "hasAttr";
  readonly expr: Expr;
  readonly path: readonly AttrName[];
}

export type UnaryOp = "!" | "-";
export interface Unary {
  readonly kind: "unary";
  readonly op: UnaryOp;
  readonly expr: Expr;
}

export type BinaryOp =
  "++" | "*" | "/" | "+" | "-" | "//" | "<" | "<=" | ">" | ">=" | "==" | "!=" | "&&" | "||" | "->";
export interface Binary {
  readonly kind: "binary";
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

export interface If {
  readonly kind: "if";
  readonly cond: Expr;
  readonly then: Expr;
  readonly else: Expr;
}
export interface With {
  readonly kind: "with";
  readonly scope: Expr;
  readonly body: Expr;
}
export interface Assert {
  readonly kind: "assert";
  readonly cond: Expr;
  readonly body: Expr;
}

/** A whole file: header comment lines, then one expression. */
export interface NixFile {
  readonly header: readonly string[];
  readonly expr: Expr;
}
