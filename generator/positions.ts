// Where a field of a descriptor was written: source ranges of nodes, lines and columns, field
// names as messages show them, and errors placed there (in the descriptor or in a fragment).

import { isMap, isPair, isScalar, isSeq } from "yaml";
import type { Diagnostic } from "./diagnostics.ts";
import type { ParsedDescriptor } from "./parse.ts";

export type FieldPath = readonly (string | number)[];

/** Source offsets [start, end) of a node: the key of a mapping entry (`key`) or its value. */
export function rangeOf(
  d: ParsedDescriptor,
  path: FieldPath,
  which: "key" | "value" = "value",
): [number, number] {
  const rangeOfNode = (n: unknown) => (n as { range?: number[] } | null | undefined)?.range;
  let node: unknown = d.doc.contents;
  let range = rangeOfNode(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (pair === undefined) break;
      if (i === path.length - 1 && which === "key") {
        range = rangeOfNode(pair.key);
        break;
      }
      node = pair.value;
      range = rangeOfNode(node) ?? rangeOfNode(pair.key);
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      node = node.items[segment];
      range = rangeOfNode(node);
    } else break;
  }
  const start = range?.[0] ?? 0;
  return [start, range?.[1] ?? start + 1];
}

/** The text a value is written as in its file. */
export function sourceOf(origin: {
  readonly d: ParsedDescriptor;
  readonly path: FieldPath;
}): string {
  const [start, end] = rangeOf(origin.d, origin.path);
  return origin.d.text.slice(start, end);
}

/** Line, column and underline length (kept on one line) of a source range. */
export function positionAt(d: ParsedDescriptor, start: number, end: number) {
  const { line, col } = d.lineCounter.linePos(start);
  const lineEnd = d.text.indexOf("\n", start);
  const length = Math.max(1, Math.min(end, lineEnd < 0 ? end : lineEnd) - start);
  return { line, column: col, length };
}

/** Line, column and length of a node, for diagnostics. */
export function positionOf(d: ParsedDescriptor, path: FieldPath, which: "key" | "value" = "value") {
  const [start, end] = rangeOf(d, path, which);
  return positionAt(d, start, end);
}

/** Position of `needle` written literally inside the node at `path`, else of the node itself. */
export function positionOfText(d: ParsedDescriptor, path: FieldPath, needle: string) {
  const [start, end] = rangeOf(d, path);
  const found = d.text.slice(start, end).indexOf(needle);
  return found < 0
    ? positionAt(d, start, end)
    : positionAt(d, start + found, start + found + needle.length);
}

/** Dotted rendering of a field path: `services[0].user`. */
export function fieldName(path: FieldPath): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

/** Where a value was written. */
export interface Origin {
  readonly d: ParsedDescriptor;
  readonly path: FieldPath;
}

/** An error at `origin`: on its key or value, or on `needle` written inside the value. */
export function diagnosticAt(
  origin: Origin,
  code: string,
  message: string,
  hint?: string,
  which: "key" | "value" = "value",
  needle?: string,
): Diagnostic {
  const position =
    needle === undefined
      ? positionOf(origin.d, origin.path, which)
      : positionOfText(origin.d, origin.path, needle);
  return {
    severity: "error",
    code,
    file: origin.d.file.path,
    ...position,
    field: fieldName(origin.path),
    message,
    ...(hint === undefined ? {} : { hint }),
  };
}
