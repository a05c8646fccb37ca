// Placeholders: what `nixgen new` writes where a value is needed (`"<fill in: the image name>"`).
// Validation reports each one left, with what to write, instead of the error its field's schema
// would give for the text of the placeholder.

import { isMapping } from "./data.ts";
import type { FieldPath } from "./positions.ts";

const PLACEHOLDER = /^<fill in: (.*?)>\s*$/s;

/** The placeholder for a value described by `what`. */
export const placeholder = (what: string): string => `<fill in: ${what}>`;

/** Every placeholder in plain data, with what it asks for. */
export function placeholdersIn(value: unknown): { path: FieldPath; what: string }[] {
  const found: { path: FieldPath; what: string }[] = [];
  const stack: [unknown, FieldPath][] = [[value, []]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      const m = PLACEHOLDER.exec(v);
      if (m !== null) found.push({ path, what: m[1]! });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, [...path, i]]));
    } else if (isMapping(v)) {
      for (const [k, item] of Object.entries(v)) stack.push([item, [...path, k]]);
    }
  }
  return found.reverse();
}
