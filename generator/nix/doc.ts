// A small document IR and the one layout algorithm that renders it (the Wadler/prettier
// approach): a group prints flat when it fits in the remaining width, otherwise its lines break.

export type Doc = string | Concat | Line | Group | Indent | IfBreak;

interface Concat {
  readonly t: "concat";
  readonly parts: readonly Doc[];
}
interface Line {
  readonly t: "line";
  /** Printed in flat mode: " " for `line`, "" for `softline`; a hard line never flattens. */
  readonly flat: string;
  readonly hard: boolean;
}
interface Group {
  readonly t: "group";
  readonly doc: Doc;
  /** Always printed broken (and so breaks every group around it). */
  readonly broken?: boolean;
}
interface Indent {
  readonly t: "indent";
  readonly doc: Doc;
}
interface IfBreak {
  readonly t: "ifBreak";
  readonly broken: Doc;
  readonly flat: Doc;
}

export const concat = (...parts: Doc[]): Doc => ({ t: "concat", parts });
export const line: Doc = { t: "line", flat: " ", hard: false };
export const softline: Doc = { t: "line", flat: "", hard: false };
export const hardline: Doc = { t: "line", flat: "", hard: true };
export const group = (...parts: Doc[]): Doc => ({ t: "group", doc: concat(...parts) });
/** A group that never prints flat. */
export const breakAll = (...parts: Doc[]): Doc => ({
  t: "group",
  doc: concat(...parts),
  broken: true,
});
export const indent = (...parts: Doc[]): Doc => ({ t: "indent", doc: concat(...parts) });
export const ifBreak = (broken: Doc, flat: Doc = ""): Doc => ({ t: "ifBreak", broken, flat });
export const join = (sep: Doc, docs: readonly Doc[]): Doc =>
  concat(...docs.flatMap((d, i) => (i === 0 ? [d] : [sep, d])));

/** True when the document contains a hard line, i.e. can never print on one line. */
export function hasHardLine(doc: Doc): boolean {
  return hardCache(doc);
}

const hardMemo = new WeakMap<object, boolean>();
function hardCache(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  const known = hardMemo.get(doc);
  if (known !== undefined) return known;
  let result: boolean;
  switch (doc.t) {
    case "concat":
      result = doc.parts.some(hardCache);
      break;
    case "line":
      result = doc.hard;
      break;
    case "group":
      result = doc.broken === true || hardCache(doc.doc);
      break;
    case "indent":
      result = hardCache(doc.doc);
      break;
    case "ifBreak":
      result = hardCache(doc.broken);
      break;
  }
  hardMemo.set(doc, result);
  return result;
}

const enum Mode {
  Flat,
  Break,
}
interface Cmd {
  ind: number;
  mode: Mode;
  doc: Doc;
}

/** Does `next` (then `rest`, in their own modes) fit in `width` columns before the next line? */
function fits(next: Cmd, rest: readonly Cmd[], width: number): boolean {
  let remaining = width;
  const stack: Cmd[] = [next];
  let restIndex = rest.length - 1;
  while (remaining >= 0) {
    let cmd = stack.pop();
    if (cmd === undefined) {
      if (restIndex < 0) return true;
      cmd = rest[restIndex--]!;
    }
    const { mode, doc } = cmd;
    if (typeof doc === "string") {
      remaining -= doc.length;
      continue;
    }
    switch (doc.t) {
      case "concat":
        for (let i = doc.parts.length - 1; i >= 0; i--)
          stack.push({ ind: cmd.ind, mode, doc: doc.parts[i]! });
        break;
      case "indent":
        stack.push({ ind: cmd.ind, mode, doc: doc.doc });
        break;
      case "group":
        if (mode === Mode.Break && hasHardLine(doc)) return true;
        stack.push({ ind: cmd.ind, mode: hasHardLine(doc) ? Mode.Break : mode, doc: doc.doc });
        break;
      case "ifBreak":
        stack.push({ ind: cmd.ind, mode, doc: mode === Mode.Break ? doc.broken : doc.flat });
        break;
      case "line":
        if (mode === Mode.Break || doc.hard) return true;
        remaining -= doc.flat.length;
        break;
    }
  }
  return false;
}

/** Render a document. Indentation is written lazily so empty lines carry no trailing spaces. */
export function layout(doc: Doc, width: number): string {
  const out: string[] = [];
  let column = 0;
  let pendingIndent = -1;
  const stack: Cmd[] = [{ ind: 0, mode: Mode.Break, doc }];
  while (stack.length > 0) {
    const cmd = stack.pop()!;
    const { ind, mode, doc: d } = cmd;
    if (typeof d === "string") {
      if (d.length === 0) continue;
      if (pendingIndent >= 0) {
        out.push(" ".repeat(pendingIndent));
        column = pendingIndent;
        pendingIndent = -1;
      }
      out.push(d);
      column += d.length;
      continue;
    }
    switch (d.t) {
      case "concat":
        for (let i = d.parts.length - 1; i >= 0; i--) stack.push({ ind, mode, doc: d.parts[i]! });
        break;
      case "indent":
        stack.push({ ind: ind + 2, mode, doc: d.doc });
        break;
      case "group": {
        const flat: Cmd = { ind, mode: Mode.Flat, doc: d.doc };
        const fitsFlat =
          mode === Mode.Flat ||
          (!hasHardLine(d) &&
            fits(flat, stack, width - (pendingIndent >= 0 ? pendingIndent : column)));
        stack.push(fitsFlat ? flat : { ind, mode: Mode.Break, doc: d.doc });
        break;
      }
      case "ifBreak":
        stack.push({ ind, mode, doc: mode === Mode.Break ? d.broken : d.flat });
        break;
      case "line":
        if (mode === Mode.Flat && !d.hard) {
          stack.push({ ind, mode, doc: d.flat });
        } else {
          out.push("\n");
          column = 0;
          pendingIndent = ind;
        }
        break;
    }
  }
  return out.join("");
}
