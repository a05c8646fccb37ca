// Typed reads of a descriptor's data. Text fields go through the reference parser.

import type { PackageRef, Template } from "../model.ts";
import type { FieldPath } from "../positions.ts";
import { emptyData, isMapping, own, type Data } from "../data.ts";
import { forNix } from "../hashes.ts";
import { error, type Context, type RefScope } from "./context.ts";
import { template, wholeReference } from "./references.ts";

/**
 * Typed reads of a descriptor's data; text fields go through the reference parser. A descriptor
 * that breaks its schema is read too (to report its other problems in the same run), so every
 * read checks the type: a value of the wrong type reads as absent, and the schema's diagnostic
 * says what is wrong with it.
 */
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
    const value = this.get(key);
    return new Reader(this.ctx, isMapping(value) ? value : emptyData(), this.at(key));
  }
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
  str(key: string): string {
    return this.optStr(key) ?? "";
  }
  optStr(key: string): string | null {
    const value = this.get(key);
    return typeof value === "string" ? value : null;
  }
  num(key: string, fallback: number): number {
    const value = this.get(key);
    return typeof value === "number" ? value : fallback;
  }
  bool(key: string, fallback: boolean): boolean {
    return this.optBool(key) ?? fallback;
  }
  optBool(key: string): boolean | null {
    const value = this.get(key);
    return typeof value === "boolean" ? value : null;
  }
  strings(key: string): readonly string[] {
    const value = this.get(key);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  }
  /** The mappings of a list, each read at its own index. */
  list(key: string): Reader[] {
    const value = this.get(key);
    if (!Array.isArray(value)) return [];
    return value.flatMap((item, i) =>
      isMapping(item) ? [new Reader(this.ctx, item, [...this.at(key), i])] : [],
    );
  }
  /** Entries of a map, in written order. */
  entries(key: string): [string, unknown][] {
    const value = this.get(key);
    return isMapping(value) ? Object.entries(value) : [];
  }
  text(key: string, scope: RefScope = {}): Template {
    return template(this.str(key), this.at(key), this.ctx, scope);
  }
  optText(key: string, scope: RefScope = {}): Template | null {
    return this.optStr(key) === null ? null : this.text(key, scope);
  }
  /** A SHA-256 hash, in the form the generated tree writes (SRI becomes base-32). */
  hash(key: string): string {
    return forNix(this.str(key));
  }
  optHash(key: string): string | null {
    const value = this.optStr(key);
    return value === null ? null : forNix(value);
  }
  /** The strings of a list as templates, each read at its own index. */
  texts(key: string): Template[] {
    const value = this.get(key);
    if (!Array.isArray(value)) return [];
    return value.flatMap((item, i) =>
      typeof item === "string" ? [template(item, [...this.at(key), i], this.ctx)] : [],
    );
  }
  ref(key: string): PackageRef {
    return wholeReference(this.str(key), this.at(key), this.ctx);
  }
  refs(key: string): readonly PackageRef[] {
    const value = this.get(key);
    if (!Array.isArray(value)) return [];
    return value.flatMap((r, i) =>
      typeof r === "string" ? [wholeReference(r, [...this.at(key), i], this.ctx)] : [],
    );
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
