// Mutations of a package set, for the fuzzer: a plan's steps applied in order, by the operators
// on the YAML structure (yaml-operators.ts) and on texts and files (file-operators.ts).

import { isScalar, parseDocument } from "yaml";
import { applyToFiles, applyToText } from "./file-operators.ts";
import {
  FILE_OPERATORS,
  Mutable,
  YAML_OPERATORS,
  type Files,
  type Operator,
  type Plan,
  type Written,
} from "./plan.ts";
import { applyToDocument } from "./yaml-operators.ts";

export {
  OPERATORS,
  PROTO_NAMES,
  type Files,
  type Operator,
  type Plan,
  type Step,
  type Written,
} from "./plan.ts";

const YAML_OPS: ReadonlySet<Operator> = new Set(YAML_OPERATORS);
const FILE_OPS: ReadonlySet<Operator> = new Set(FILE_OPERATORS);

/** The files the plan changes, and the string values it wrote. */
export function mutate(base: Files, plan: Plan): { files: Files; written: readonly Written[] } {
  const m = new Mutable(base);
  for (const step of plan) {
    if (YAML_OPS.has(step.op)) applyToDocument(m, step);
    else if (FILE_OPS.has(step.op)) applyToFiles(m, step);
    else applyToText(m, step);
  }
  // A later step may have moved or rewritten the file a string was written to.
  const written = m.written.filter((w) => m.bytes(w.file) !== null);
  return { files: m.files, written };
}

/** The value at `path` in a YAML text, when it parses and is a string there. */
export function stringAt(text: string, path: readonly (string | number)[]): string | undefined {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  const node = doc.getIn(path, true);
  return isScalar(node) && typeof node.value === "string" ? node.value : undefined;
}
