// Typed reads of a descriptor's validated data. Text fields go through the reference parser.

import type { PackageRef, Template } from "../model.ts";
import type { FieldPath } from "../positions.ts";
import { emptyData, own, type Data } from "../data.ts";
import { error, type Context, type RefScope } from "./context.ts";
import { template, wholeReference } from "./references.ts";

/** Typed reads of a descriptor's data; text fields go through the reference parser. */
export class Reader {
  constructor(
    readonly ctx: Context,
    readonly data: Data,
    readonly path: FieldPath,
  ) {}
  /** The value of `key`, only when the data has it itself. */
  get(key: string): unknown {
    return own(this.data, key);
  }
  at(key: string | number): FieldPath {
    return [...this.path, key];
  }
  child(key: string): Reader {
    return new Reader(this.ctx, (this.get(key) as Data | undefined) ?? emptyData(), this.at(key));
  }
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
  str(key: string): string {
    return this.get(key) as string;
  }
  optStr(key: string): string | null {
    return (this.get(key) as string | undefined) ?? null;
  }
  num(key: string, fallback: number): number {
    return (this.get(key) as number | undefined) ?? fallback;
  }
  bool(key: string, fallback: boolean): boolean {
    return (this.get(key) as boolean | undefined) ?? fallback;
  }
  optBool(key: string): boolean | null {
    return (this.get(key) as boolean | undefined) ?? null;
  }
  strings(key: string): readonly string[] {
    return (this.get(key) as string[] | undefined) ?? [];
  }
  list(key: string): Reader[] {
    return ((this.get(key) as Data[] | undefined) ?? []).map(
      (item, i) => new Reader(this.ctx, item, [...this.at(key), i]),
    );
  }
  /** Entries of a map, in written order. */
  entries(key: string): [string, unknown][] {
    return Object.entries((this.get(key) as Data | undefined) ?? emptyData());
  }
  text(key: string, scope: RefScope = {}): Template {
    return template(this.get(key) as string, this.at(key), this.ctx, scope);
  }
  optText(key: string, scope: RefScope = {}): Template | null {
    return this.has(key) ? this.text(key, scope) : null;
  }
  ref(key: string): PackageRef {
    return wholeReference(this.get(key) as string, this.at(key), this.ctx);
  }
  refs(key: string): readonly PackageRef[] {
    return this.strings(key).map((r, i) => wholeReference(r, [...this.at(key), i], this.ctx));
  }
}

/** Exactly one of `keys` must be present (for choices the schema cannot express readably). */
export function exactlyOne(r: Reader, keys: readonly string[]): string | undefined {
  const present = keys.filter((k) => r.has(k));
  if (present.length === 1) return present[0];
  r.ctx.diagnostics.push(
    error(
      r.ctx.v,
      present.length === 0 ? r.path : r.at(present[1]!),
      "schema/one-of",
      `expected exactly one of ${keys.join(", ")}, found ${present.length === 0 ? "none" : present.join(" and ")}`,
    ),
  );
  return present[0];
}
