// The fuzzer's plans and the working copy of a package set they change. A plan is a short list
// of steps, each naming an operator and a few numbers that pick the file, node and variant it
// applies to (modulo what there is, so any numbers make a valid plan and fast-check can shrink
// them towards 0).

import { parseDocument, type Document } from "yaml";

/** Files by path relative to the project root; null: the file is deleted. */
export type Files = ReadonlyMap<string, Uint8Array | null>;

/** Operators on the YAML structure of a descriptor (yaml-operators.ts). */
export const YAML_OPERATORS = [
  "delete-key",
  "rename-key",
  "duplicate-key",
  "duplicate-item",
  "swap-type",
  "set-string",
  "splice-string",
  "splice-text",
  "huge-number",
  "proto-key",
  "transplant",
  "anchor-alias",
  "merge-key",
] as const;
/** Operators on the text of a file (file-operators.ts). */
export const TEXT_OPERATORS = [
  "directive",
  "tab",
  "bom",
  "line-endings",
  "cut-lines",
  "insert-text",
  "bad-bytes",
] as const;
/** Operators on the files themselves (file-operators.ts). */
export const FILE_OPERATORS = ["rename-file", "delete-file", "rename-parameter"] as const;
export const OPERATORS = [...YAML_OPERATORS, ...TEXT_OPERATORS, ...FILE_OPERATORS] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Step {
  readonly op: Operator;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** Text the step writes (a weird string, a key, inserted text). */
  readonly text: string;
}
export type Plan = readonly Step[];

/** A string value a step wrote, at its place in its file, for the check that it reaches Nix. */
export interface Written {
  readonly file: string;
  readonly path: readonly (string | number)[];
}

export const PROTO_NAMES = [
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "__defineGetter__",
];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const pick = <T>(items: readonly T[], n: number): T => items[n % items.length]!;

/** A working copy of a package set that steps change. */
export class Mutable {
  readonly files = new Map<string, Uint8Array | null>();
  readonly written: Written[] = [];

  constructor(private readonly base: Files) {}

  paths(filter: (path: string) => boolean): string[] {
    const all = new Set([...this.base.keys(), ...this.files.keys()]);
    return [...all].filter((p) => this.bytes(p) !== null && filter(p)).sort();
  }

  bytes(path: string): Uint8Array | null {
    return this.files.has(path) ? this.files.get(path)! : (this.base.get(path) ?? null);
  }

  text(path: string): string {
    return decoder.decode(this.bytes(path) ?? new Uint8Array());
  }

  setText(path: string, text: string): void {
    this.files.set(path, encoder.encode(text));
  }

  /** The YAML files, the one chosen by `n`, and its document (undefined when it does not parse). */
  yaml(n: number): { path: string; doc: Document } | undefined {
    const paths = this.paths((p) => p.endsWith(".yaml"));
    if (paths.length === 0) return undefined;
    const path = pick(paths, n);
    const doc = parseDocument(this.text(path), { keepSourceTokens: false });
    return doc.errors.length > 0 ? undefined : { path, doc };
  }
}
