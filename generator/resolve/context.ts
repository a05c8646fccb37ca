// What every kind's resolution shares: the context of the descriptor being read, and errors placed
// where each part of it was written.

import type { Diagnostic } from "../diagnostics.ts";
import type { Application, PackageRef } from "../model.ts";
import { diagnosticAt, positionOf, type FieldPath } from "../positions.ts";
import type { ValidDescriptor } from "../validate.ts";

/** What references may name besides packages, in the field being read. */
export interface RefScope {
  /** `${{ self.files }}`: the files of a tool script. */
  readonly selfFiles?: boolean;
}

export interface Context {
  readonly v: ValidDescriptor;
  readonly known: ReadonlySet<string>;
  readonly diagnostics: Diagnostic[];
  /** Every reference made, with where it was written, for the cycle check. */
  readonly refs: { ref: PackageRef; path: FieldPath; text: string }[];
  /** Keys of the image's `files`, which `${{ self.files.<key> }}` may name anywhere in it. */
  readonly imageFiles: Set<string>;
}

/** Whether `name` is a known package, or lies below an exposed set of a contrail package set. */
export function isKnown(name: string, known: ReadonlySet<string>): boolean {
  if (known.has(name)) return true;
  const parts = name.split(".");
  for (let i = parts.length - 1; i > 1; i--) {
    if (known.has(parts.slice(0, i).join("."))) return true;
  }
  return false;
}

/** The data path each resolve diagnostic was made for (its `field` may name a fragment's). */
const dataPaths = new WeakMap<Diagnostic, FieldPath>();
export const dataPathOf = (d: Diagnostic): FieldPath | undefined => dataPaths.get(d);

export function error(
  v: ValidDescriptor,
  path: FieldPath,
  code: string,
  message: string,
  hint?: string,
  needle?: string,
): Diagnostic {
  const diagnostic = diagnosticAt(v.locate(path), code, message, hint, "value", needle);
  dataPaths.set(diagnostic, path);
  return diagnostic;
}

export type Common = Pick<Application, "attrPath" | "source" | "description">;

export const compareText = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/** Where the value at `path` was written, as `<file>:<line>`. */
export function placeOf(v: ValidDescriptor, path: FieldPath): string {
  const origin = v.locate(path);
  return `${origin.d.file.path}:${positionOf(origin.d, origin.path).line}`;
}

/** Where the value at `path` was written, for messages: `line 12`, or `<file>:12` in another file. */
export function whereIs(v: ValidDescriptor, path: FieldPath): string {
  const origin = v.locate(path);
  const { line } = positionOf(origin.d, origin.path);
  const file = origin.d.file.path;
  return file === v.parsed.file.path ? `line ${line}` : `${file}:${line}`;
}
