// The checks of a fragment use that the schema cannot make: the shape of an `extends` entry, its
// arguments against the fragment's parameters, and the parameters a fragment's text refers to.

import { isMapping, own, type Data } from "./data.ts";
import { didYouMean } from "./diagnostics.ts";
import type { FragmentDescriptor } from "./expand.ts";
import type { Origin } from "./positions.ts";

/** Reports a problem at `origin` (its key or its value). */
export type Report = (
  origin: Origin,
  code: string,
  message: string,
  hint?: string,
  which?: "key" | "value",
) => void;

/** `${{ args.name }}`: a parameter used in a fragment's text. */
export const ARG = /\$\{\{\s*args\.([A-Za-z0-9_]+)\s*\}\}/g;

/** `${{ args.x }}` used in a fragment must be one of its declared parameters. */
export function checkParameters(
  f: FragmentDescriptor,
  value: unknown,
  origin: Origin,
  report: Report,
): void {
  if (typeof value === "string") {
    for (const m of value.matchAll(ARG)) {
      if (f.parameters.includes(m[1]!)) continue;
      const suggestion = didYouMean(m[1]!, f.parameters);
      report(
        origin,
        "fragment/unknown-parameter",
        `${m[0]} names no parameter of ${f.name}; declared: ${f.parameters.join(", ") || "none"}`,
        suggestion === undefined
          ? `declare it under parameters:`
          : `did you mean \${{ args.${suggestion} }}?`,
      );
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) =>
      checkParameters(f, v, { d: origin.d, path: [...origin.path, i] }, report),
    );
  } else if (isMapping(value)) {
    for (const [k, v] of Object.entries(value)) {
      checkParameters(f, v, { d: origin.d, path: [...origin.path, k] }, report);
    }
  }
}

/** An `extends` entry is a fragment name or `{ fragment, with }` with scalar arguments. */
export function isWellFormedUse(use: unknown, origin: Origin, report: Report): boolean {
  if (typeof use === "string") return true;
  if (!isMapping(use)) {
    const found = Array.isArray(use) ? "a list" : JSON.stringify(use);
    report(origin, "schema/type", `expected a fragment name or { fragment, with }, found ${found}`);
    return false;
  }
  let ok = true;
  for (const key of Object.keys(use)) {
    if (key === "fragment" || key === "with") continue;
    ok = false;
    const suggestion = didYouMean(key, ["fragment", "with"]);
    report(
      { d: origin.d, path: [...origin.path, key] },
      "schema/unknown-key",
      `unknown key ${JSON.stringify(key)}; expected one of fragment, with`,
      suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
      "key",
    );
  }
  const fragment = own(use, "fragment");
  const args = own(use, "with");
  if (typeof fragment !== "string") {
    ok = false;
    report(
      origin,
      fragment === undefined ? "schema/missing-key" : "schema/type",
      fragment === undefined
        ? `missing required key "fragment" in fragment use`
        : `expected a fragment name, found ${JSON.stringify(fragment)}`,
    );
  }
  if (args !== undefined && !isMapping(args)) {
    ok = false;
    report(
      { d: origin.d, path: [...origin.path, "with"] },
      "schema/type",
      "expected a mapping of parameter values",
    );
  }
  for (const [key, v] of Object.entries(isMapping(args) ? args : {})) {
    if (["string", "number", "boolean"].includes(typeof v)) continue;
    ok = false;
    report(
      { d: origin.d, path: [...origin.path, "with", key] },
      "schema/type",
      `expected a string, number or boolean for parameter ${key}, found ${Array.isArray(v) ? "a list" : v === null ? "null" : "a mapping"}`,
    );
  }
  return ok;
}

export function checkArguments(
  f: FragmentDescriptor,
  args: Data,
  origin: Origin,
  report: Report,
): boolean {
  let ok = true;
  const missing = f.parameters.filter((p) => !Object.hasOwn(args, p));
  if (missing.length > 0) {
    ok = false;
    report(
      origin,
      "fragment/missing-argument",
      `${f.name} needs a value for ${missing.join(", ")}`,
      `write { fragment: ${f.name}, with: { ${missing.map((m) => `${m}: ...`).join(", ")} } }`,
    );
  }
  for (const key of Object.keys(args)) {
    if (f.parameters.includes(key)) continue;
    ok = false;
    const suggestion = didYouMean(key, f.parameters);
    report(
      { d: origin.d, path: [...origin.path, "with", key] },
      "fragment/unknown-argument",
      `${f.name} has no parameter ${JSON.stringify(key)}; expected ${f.parameters.join(", ") || "no arguments"}`,
      suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
      "key",
    );
  }
  return ok;
}
