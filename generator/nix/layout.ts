// Renders a fixed-up document greedily, as nixfmt does: a group prints flat when it and the
// rest of its line fit in the width (counted from the line's indentation); otherwise its
// priority groups are tried expanded one at a time, last first, and failing that it breaks.
// Indentation follows nesting depth, but several depths opened on one line indent the next
// line once.

import {
  GroupKind,
  Sp,
  TextKind,
  isHard,
  mergeSpacings,
  textWidth,
  type El,
  type Group,
  type Spacing,
  type Text,
} from "./doc.ts";

/** A read position: elements of `doc` from `at`, then those of `next`. */
interface Rest {
  readonly doc: readonly El[];
  readonly at: number;
  readonly next: Rest | null;
}

const restOf = (doc: readonly El[], at: number, next: Rest | null): Rest | null =>
  at < doc.length ? { doc, at, next } : next;

/**
 * A reading position over the elements from a point on: a stack of (elements, index) frames,
 * innermost last. `next` opens groups and merges spacings in a row; `nextItem` returns groups
 * whole. A loop over arrays: these scans run for every group tried, so they allocate little.
 */
class Cursor {
  private readonly docs: (readonly El[])[] = [];
  private readonly at: number[] = [];
  private pending: Spacing | undefined;

  constructor(rest: Rest | null) {
    const frames: Rest[] = [];
    for (let r = rest; r !== null; r = r.next) frames.push(r);
    for (let i = frames.length - 1; i >= 0; i--) {
      this.docs.push(frames[i]!.doc);
      this.at.push(frames[i]!.at);
    }
  }

  /** A copy at the same position. */
  copy(): Cursor {
    const c = new Cursor(null);
    c.docs.push(...this.docs);
    c.at.push(...this.at);
    return c;
  }

  /** The next element, groups whole, or undefined at the end. */
  nextItem(): El | undefined {
    for (;;) {
      const top = this.docs.length - 1;
      if (top < 0) return undefined;
      const doc = this.docs[top]!;
      const i = this.at[top]!;
      if (i >= doc.length) {
        this.docs.pop();
        this.at.pop();
        continue;
      }
      this.at[top] = i + 1;
      return doc[i];
    }
  }

  /** Continues inside `group` (after nextItem returned it). */
  open(group: El & { t: "group" }): void {
    this.docs.push(group.doc);
    this.at.push(0);
  }

  /** The next text or spacing, groups opened, spacings in a row merged into one. */
  next(): Text | Spacing | undefined {
    for (;;) {
      const e = this.nextItem();
      if (e === undefined) {
        const p = this.pending;
        this.pending = undefined;
        return p;
      }
      if (e.t === "group") this.open(e);
      else if (e.t === "sp") {
        this.pending = this.pending === undefined ? e : mergeSpacings(this.pending, e);
      } else if (this.pending !== undefined) {
        const p = this.pending;
        this.pending = undefined;
        this.docs.push([e]); // read again after the spacing
        this.at.push(0);
        return p;
      } else return e;
    }
  }
}

/** The text of the elements on one line within `width`, or undefined when they do not fit. */
function fits(width: number, rest: Rest | null): string | undefined {
  let c = width;
  let text = "";
  const cursor = new Cursor(rest);
  for (let e = cursor.next(); e !== undefined; e = cursor.next()) {
    if (c < 0) return undefined;
    if (e.t === "text") {
      if (e.kind === TextKind.Trailing) continue;
      text += e.s;
      if (e.kind === TextKind.Regular) c -= e.w;
    } else {
      if (e.sp >= Sp.Hardline) return undefined;
      if (e.sp !== Sp.Softbreak && e.sp !== Sp.Break) {
        text += " ";
        c -= 1;
      }
    }
  }
  return c < 0 ? undefined : text;
}

/** The width of what follows up to its first possible line break. */
function firstLineWidth(cursor: Cursor): number {
  let w = 0;
  for (let e = cursor.next(); e !== undefined; e = cursor.next()) {
    if (e.t === "text") {
      if (e.kind !== TextKind.Comment) w += e.w;
    } else if (e.sp !== Sp.Hardspace) return w;
    else w += 1;
  }
  return w;
}

/**
 * firstLineWidth of a read position, walking its elements in place (no cursor): this runs for
 * every group tried. Spacings in a row merge, as everywhere; `undefined` while none is pending.
 */
function restLineWidth(rest: Rest | null): number {
  const state = { w: 0, pending: undefined as Spacing | undefined };
  for (let r = rest; r !== null; r = r.next) {
    if (!scanLine(r.doc, r.at, state)) return state.w;
  }
  return state.pending === undefined || state.pending.sp === Sp.Hardspace
    ? state.w + (state.pending === undefined ? 0 : 1)
    : state.w;
}

/** Adds widths from `doc[from]` on; false once a line may break there. */
function scanLine(
  doc: readonly El[],
  from: number,
  state: { w: number; pending: Spacing | undefined },
): boolean {
  for (let i = from; i < doc.length; i++) {
    const e = doc[i]!;
    if (e.t === "group") {
      if (!scanLine(e.doc, 0, state)) return false;
      continue;
    }
    if (e.t === "sp") {
      state.pending = state.pending === undefined ? e : mergeSpacings(state.pending, e);
      continue;
    }
    if (state.pending !== undefined) {
      if (state.pending.sp !== Sp.Hardspace) return false;
      state.w += 1;
      state.pending = undefined;
    }
    if (e.kind !== TextKind.Comment) state.w += e.w;
  }
  return true;
}

/** Whether what follows fits in `target` up to its first line break, groups kept whole. */
function firstLineFits(target: number, max: number, rest: Rest | null): boolean {
  let c = max;
  let pending: Spacing | undefined;
  const cursor = new Cursor(rest);
  for (;;) {
    if (c < 0) return false;
    const e = cursor.nextItem();
    if (e === undefined) break;
    if (e.t === "sp") {
      pending = pending === undefined ? e : mergeSpacings(pending, e);
      continue;
    }
    if (pending !== undefined) {
      if (pending.sp !== Sp.Hardspace) return max - c <= target;
      c -= 1;
      pending = undefined;
      if (c < 0) return false;
    }
    if (e.t === "text") {
      if (e.kind === TextKind.Regular) c -= e.w;
      continue;
    }
    const t = e.hard ? undefined : fits(c - firstLineWidth(cursor.copy()), restOf(e.doc, 0, null));
    if (t === undefined) cursor.open(e);
    else c -= textWidth(t);
  }
  if (pending !== undefined && pending.sp !== Sp.Hardspace) return max - c <= target;
  if (pending !== undefined) c -= 1;
  return c >= 0 && max - c <= target;
}

/** The first text's depth and offset, looking into groups that start the document. */
function nextIndent(rest: Rest | null): [number, number] {
  let cur = rest;
  while (cur !== null) {
    const e = cur.doc[cur.at]!;
    if (e.t === "text") return [e.level, e.offset];
    if (e.t === "group") cur = restOf(e.doc, 0, null);
    else cur = restOf(cur.doc, cur.at + 1, cur.next);
  }
  return [0, 0];
}

/** Indentation in effect: columns and the nesting depth it belongs to. */
interface Indents {
  readonly columns: number;
  readonly level: number;
  readonly up: Indents | null;
}

/** Spacings and texts made compact without recursing into groups (the part after a priority group). */
function unexpandSpacing(doc: readonly El[]): El[] {
  const out: El[] = [];
  for (const e of doc) {
    if (e.t !== "sp") out.push(e);
    else if (e.sp === Sp.Space || e.sp === Sp.Softspace)
      out.push({ t: "sp", sp: Sp.Hardspace, n: 0 });
    else if (e.sp !== Sp.Break && e.sp !== Sp.Softbreak) out.push(e);
  }
  return out;
}

interface Segment {
  readonly prio: boolean;
  readonly doc: El[] | readonly El[];
}

/** `doc` as runs of elements and priority groups, transparent groups opened. */
function collectSegments(doc: readonly El[], segments: Segment[]): void {
  for (const e of doc) {
    if (e.t === "group" && e.kind === GroupKind.Priority) segments.push({ prio: true, doc: e.doc });
    else if (e.t === "group" && e.kind === GroupKind.Transparent) collectSegments(e.doc, segments);
    else {
      const last = segments[segments.length - 1];
      if (last !== undefined && !last.prio) (last.doc as El[]).push(e);
      else segments.push({ prio: false, doc: [e] });
    }
  }
}

/** The ways to expand one priority group of `doc`: what comes before, the group, what after. */
function priorityGroups(doc: readonly El[]): [readonly El[], readonly El[], readonly El[]][] {
  if (!hasPriorityGroup(doc)) return [];
  const segments: Segment[] = [];
  collectSegments(doc, segments);
  const result: [readonly El[], readonly El[], readonly El[]][] = [];
  segments.forEach((s, i) => {
    if (!s.prio) return;
    const pre = segments.slice(0, i).flatMap((x) => x.doc);
    const post = segments.slice(i + 1).flatMap((x) => x.doc);
    result.push([pre, s.doc, post]);
  });
  return result;
}

/** Whether `doc` holds a priority group of its own (directly, or in transparent groups). */
function hasPriorityGroup(doc: readonly El[]): boolean {
  for (const e of doc) {
    if (e.t !== "group") continue;
    if (e.kind === GroupKind.Priority) return true;
    if (e.kind === GroupKind.Transparent && hasPriorityGroup(e.doc)) return true;
  }
  return false;
}

/** The renderer's state: the text so far, the column, the indentation in effect. */
class Renderer {
  readonly out: string[] = [];
  /** Column within the line, indentation not counted. */
  private cc = 0;
  private indents: Indents = { columns: 0, level: 0, up: null };

  constructor(private readonly width: number) {}

  private putText(level: number, offset: number, s: string, w: number): void {
    let indents = this.indents;
    while (level < indents.level && indents.up !== null) indents = indents.up;
    if (level > indents.level) {
      const columns = this.cc === 0 ? indents.columns + 2 : indents.columns;
      indents = { columns, level, up: indents };
    }
    this.indents = indents;
    if (this.cc === 0) this.out.push(" ".repeat(indents.columns + offset));
    this.out.push(s);
    this.cc += w;
  }

  private putNewlines(n: number): void {
    this.out.push(n === 1 ? "\n" : "\n".repeat(n));
    this.cc = 0;
  }

  /** Renders `doc` expanded, `rest` following it. */
  go(d: readonly El[], rest: Rest | null): void {
    for (let i = 0; i < d.length; i++) {
      const e = d[i]!;
      // Only groups and soft spacings look ahead.
      if (e.t === "text") this.putText(e.level, e.offset, e.s, e.w);
      else if (e.t === "sp" && e.sp !== Sp.Softbreak && e.sp !== Sp.Softspace)
        this.goSpacing(e, null);
      else this.goOne(e, restOf(d, i + 1, rest));
    }
  }

  private goOne(e: Spacing | Group, rest: Rest | null): void {
    if (e.t === "sp") return this.goSpacing(e, rest);
    if (!e.hard && this.goGroup(e.doc, rest)) return;
    if (e.kind !== GroupKind.Transparent) {
      const triples = priorityGroups(e.doc);
      for (let i = triples.length - 1; i >= 0; i--) {
        if (this.goPriorityGroup(triples[i]!, rest)) return;
      }
    }
    this.go(e.doc, rest);
  }

  private goSpacing(e: Spacing, rest: Rest | null): void {
    if (this.cc === 0) return; // a line just started: no leading whitespace
    const { width, cc } = this;
    switch (e.sp) {
      case Sp.Hardspace:
        this.out.push(" ");
        this.cc += 1;
        return;
      case Sp.Emptyline:
        return this.putNewlines(2);
      case Sp.Newlines:
        return this.putNewlines(e.n);
      case Sp.Softbreak:
        if (!firstLineFits(width - cc, width, rest)) this.putNewlines(1);
        return;
      case Sp.Softspace:
        if (firstLineFits(width - cc - 1, width, rest)) {
          this.out.push(" ");
          this.cc += 1;
        } else this.putNewlines(1);
        return;
      default:
        return this.putNewlines(1);
    }
  }

  /** Renders `grp` flat if it fits with the start of `rest`; false (nothing done) otherwise. */
  private goGroup(grp: readonly El[], rest: Rest | null): boolean {
    if (grp.length === 0) return true;
    if (grp.some(isHard)) return false;
    if (this.cc === 0) {
      let g: readonly El[] = grp;
      const head = grp[0]!;
      if (head.t === "sp") g = grp.slice(1);
      else if (head.t === "group" && head.doc[0]?.t === "sp") {
        g = [{ ...head, doc: head.doc.slice(1) }, ...grp.slice(1)];
      }
      const [level, offset] = nextIndent(restOf(g, 0, null));
      const t = fits(this.width - restLineWidth(rest), restOf(g, 0, null));
      if (t === undefined) return false;
      this.putText(level, offset, t, textWidth(t));
      return true;
    }
    const t = fits(this.width - this.cc - restLineWidth(rest), restOf(grp, 0, null));
    if (t === undefined) return false;
    this.out.push(t);
    this.cc += textWidth(t);
    return true;
  }

  private goPriorityGroup(
    [pre, prio, post]: [readonly El[], readonly El[], readonly El[]],
    rest: Rest | null,
  ): boolean {
    const { cc, indents } = this;
    const length = this.out.length;
    if (this.goGroup(pre, restOf(prio, 0, restOf(post, 0, rest)))) {
      this.go(prio, restOf(unexpandSpacing(post), 0, rest));
      if (this.goGroup(post, rest)) return true;
    }
    this.cc = cc;
    this.indents = indents;
    this.out.length = length;
    return false;
  }
}

export function layoutGreedy(width: number, doc: readonly El[]): string {
  const renderer = new Renderer(width);
  renderer.go([{ t: "group", kind: GroupKind.Regular, doc, hard: doc.some(isHard) }], null);
  return renderer.out.join("");
}

/** A document rendered: whitespace at both ends removed, one final newline. */
export function layout(doc: readonly El[], width: number): string {
  return `${layoutGreedy(width, doc).trim()}\n`;
}
