// The layout document of the printer, with the semantics of nixfmt's (the formatter that
// defines the standard Nix style): text carries a nesting depth, spacings merge, groups print
// flat when they fit and may hold priority groups that expand first. This module builds
// documents and normalises them (`fixup`); layout.ts renders them.

/** Spacing kinds, weakest first: two spacings in a row merge into one (see `mergeSpacings`). */
export const enum Sp {
  /** Nothing, or a line break (only when needed). */
  Softbreak,
  /** Nothing, or a line break when the group breaks. */
  Break,
  /** Always a space. */
  Hardspace,
  /** A space, or a line break (only when needed). */
  Softspace,
  /** A space, or a line break when the group breaks. */
  Space,
  Hardline,
  Emptyline,
  /** `n` line breaks. */
  Newlines,
}

export const enum TextKind {
  Regular,
  /** Does not count towards the width. */
  Comment,
  /** Printed only when its group breaks (a trailing comma). */
  Trailing,
}

export const enum GroupKind {
  Regular,
  /** Tried expanded first when the group around it does not fit. */
  Priority,
  /** Its priority groups belong to its parent. */
  Transparent,
}

export interface Text {
  readonly t: "text";
  /** Nesting depth (how many `nest`s around it) and extra columns (`offset`). */
  readonly level: number;
  readonly offset: number;
  readonly kind: TextKind;
  readonly s: string;
  /** Width in characters (code points). */
  readonly w: number;
}
export interface Spacing {
  readonly t: "sp";
  readonly sp: Sp;
  /** Line breaks of a Newlines spacing. */
  readonly n: number;
}
export interface Group {
  readonly t: "group";
  readonly kind: GroupKind;
  readonly doc: readonly El[];
  /** Holds a hard line break somewhere inside: it can never print on one line. */
  readonly hard: boolean;
}
/** One element of a resolved document. */
export type El = Text | Spacing | Group;

/** A document as the printer builds it: nested arrays, with nest and offset not yet applied. */
export type Doc = string | DocNode | readonly Doc[];
type DocNode =
  | Spacing
  | { readonly t: "rawText"; readonly kind: TextKind; readonly s: string }
  | { readonly t: "rawGroup"; readonly kind: GroupKind; readonly doc: Doc }
  | { readonly t: "nest"; readonly doc: Doc }
  | { readonly t: "offset"; readonly by: number; readonly doc: Doc };

const spacing = (sp: Sp, n = 0): Spacing => ({ t: "sp", sp, n });
export const softbreak = spacing(Sp.Softbreak);
export const lineBreak = spacing(Sp.Break);
export const hardspace = spacing(Sp.Hardspace);
export const softline = spacing(Sp.Softspace);
export const line = spacing(Sp.Space);
export const hardline = spacing(Sp.Hardline);
export const emptyline = spacing(Sp.Emptyline);
export const newline = spacing(Sp.Newlines, 1);

export const comment = (s: string): Doc =>
  s === "" ? [] : { t: "rawText", kind: TextKind.Comment, s };
export const trailing = (s: string): Doc => ({ t: "rawText", kind: TextKind.Trailing, s });
export const group = (...doc: Doc[]): Doc => ({ t: "rawGroup", kind: GroupKind.Regular, doc });
export const priority = (...doc: Doc[]): Doc => ({ t: "rawGroup", kind: GroupKind.Priority, doc });
export const transparent = (...doc: Doc[]): Doc => ({
  t: "rawGroup",
  kind: GroupKind.Transparent,
  doc,
});
/** One nesting level deeper: lines starting inside are indented (once per line, see layout). */
export const nest = (...doc: Doc[]): Doc => ({ t: "nest", doc });
/** Fixed extra columns, outside the nesting rules (the lines of an indented string). */
export const offset = (by: number, ...doc: Doc[]): Doc => ({ t: "offset", by, doc });
export function join(sep: Doc, docs: readonly Doc[]): Doc {
  if (docs.length <= 1) return docs;
  const out: Doc[] = [docs[0]!];
  for (let i = 1; i < docs.length; i++) out.push(sep, docs[i]!);
  return out;
}

/** Width in characters as Nix counts them (code points). */
export function textWidth(s: string): number {
  return NON_ASCII.test(s) ? [...s].length : s.length;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** The spacing two spacings in a row make. */
export function mergeSpacings(a: Spacing, b: Spacing): Spacing {
  const [x, y] = a.sp < b.sp || (a.sp === b.sp && a.n <= b.n) ? [a, b] : [b, a];
  if (y.sp === Sp.Newlines) {
    if (x.sp === Sp.Newlines) return spacing(Sp.Newlines, x.n + y.n);
    if (x.sp === Sp.Emptyline) return spacing(Sp.Newlines, y.n + 2);
    if (x.sp === Sp.Hardspace) return y;
    return spacing(Sp.Newlines, y.n + 1);
  }
  if (x.sp === Sp.Break && (y.sp === Sp.Softspace || y.sp === Sp.Hardspace)) return line;
  if (x.sp === Sp.Softbreak && y.sp === Sp.Hardspace) return softline;
  return y;
}

const isHardSpacing = (e: El): boolean =>
  e.t === "sp" && e.sp >= Sp.Hardspace && e.sp !== Sp.Softspace && e.sp !== Sp.Space;

/** A line break that always happens, or a group that holds one. */
export const isHard = (e: El): boolean =>
  e.t === "group" ? e.hard : e.t === "sp" && e.sp >= Sp.Hardline;

function isComment(e: El): boolean {
  if (e.t === "text") return e.kind === TextKind.Comment;
  if (e.t === "group") return e.doc.every((x) => isComment(x) || isHardSpacing(x));
  return false;
}

/** Appends `e` to `out`, merging it with a spacing or text of the same kind before it. */
function push(out: El[], e: El): void {
  const last = out[out.length - 1];
  if (last?.t === "sp" && e.t === "sp") out[out.length - 1] = mergeSpacings(last, e);
  else if (last?.t === "text" && e.t === "text" && last.kind === e.kind) {
    // Every text element is made by this pass and sits in one place: it is joined in place.
    const joined = last as { -readonly [K in keyof Text]: Text[K] };
    joined.s += e.s;
    joined.w += e.w;
  } else out.push(e);
}

/**
 * The elements of a document, nesting depths and offsets applied, normalised as the layout
 * expects (in one pass): spacings in a row merged, texts in a row joined, hard spacings and
 * comments at the edges of a group moved out of it (a comment's line break must not break the
 * group), a hard space before a group merged with what the group starts with, empty groups
 * dropped, a group holding only a group of its kind unwrapped.
 */
export function build(doc: Doc): El[] {
  const out: El[] = [];
  emit(doc, 0, 0, out);
  return out;
}

function emit(doc: Doc, level: number, by: number, out: El[]): void {
  if (typeof doc === "string") {
    if (doc !== "")
      push(out, {
        t: "text",
        level,
        offset: by,
        kind: TextKind.Regular,
        s: doc,
        w: textWidth(doc),
      });
    return;
  }
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) emit((doc as readonly Doc[])[i]!, level, by, out);
    return;
  }
  const node = doc as DocNode;
  switch (node.t) {
    case "sp":
      return push(out, node);
    case "rawText":
      return push(out, {
        t: "text",
        level,
        offset: by,
        kind: node.kind,
        s: node.s,
        w: textWidth(node.s),
      });
    case "nest":
      return emit(node.doc, level + 1, by, out);
    case "offset":
      return emit(node.doc, level, by + node.by, out);
    case "rawGroup":
      return emitGroup(node.kind, node.doc, level, by, out);
  }
}

function emitGroup(kind: GroupKind, doc: Doc, level: number, by: number, out: El[]): void {
  const inner: El[] = [];
  const last = out[out.length - 1];
  if (last?.t === "sp" && last.sp === Sp.Hardspace) inner.push(out.pop()!);
  emit(doc, level, by, inner);
  let start = 0;
  while (start < inner.length && (isHardSpacing(inner[start]!) || isComment(inner[start]!)))
    start++;
  let end = inner.length;
  while (end > start && isHardSpacing(inner[end - 1]!)) end--;
  for (let k = 0; k < start; k++) push(out, inner[k]!);
  const only = end - start === 1 ? inner[start]! : undefined;
  if (only?.t === "group" && only.kind === kind) out.push(only);
  else if (end > start) {
    const body = start === 0 && end === inner.length ? inner : inner.slice(start, end);
    out.push({ t: "group", kind, doc: body, hard: body.some(isHard) });
  }
  for (let k = end; k < inner.length; k++) push(out, inner[k]!);
}
