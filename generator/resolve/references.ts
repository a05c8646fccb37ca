// `${{ attr.path }}` references inside descriptor strings: parsed into templates and checked
// against the package set, nixpkgs and the scopes a field allows.

import { didYouMean } from "../diagnostics.ts";
import type { PackageRef, Template } from "../model.ts";
import { nixpkgsAttributes } from "../nixpkgs-facts.ts";
import type { FieldPath } from "../positions.ts";
import { error, isKnown, type Context, type RefScope } from "./context.ts";

/** `${{ a.b }}` is a reference; `$${{` writes a literal `${{`. */
const REFERENCE = /\$\$\{\{|\$\{\{(.*?)\}\}|\$\{\{/gs;
const ATTR_PATH = /^[A-Za-z_][A-Za-z0-9_'-]*(\.[A-Za-z_][A-Za-z0-9_'-]*)*$/;

/** Parse `${{ ref }}` references in a descriptor string and check each one exists. */
export function template(
  text: string,
  path: FieldPath,
  ctx: Context,
  scope: RefScope = {},
): Template {
  const parts: (string | PackageRef)[] = [];
  let literal = "";
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    literal += text.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[0] === "$${{") {
      literal += "${{";
      continue;
    }
    if (match[1] === undefined) {
      ctx.diagnostics.push(
        error(
          ctx.v,
          path,
          "ref/unterminated",
          "expected `}}` to close the reference started by `${{`",
          "write $${{ for a literal ${{",
          "${{",
        ),
      );
      continue;
    }
    const name = match[1].trim();
    if (!ATTR_PATH.test(name)) {
      ctx.diagnostics.push(
        error(
          ctx.v,
          path,
          "ref/syntax",
          `expected an attribute path such as locksmith or pkgs.redis inside ${match[0]}`,
          undefined,
          match[0],
        ),
      );
      continue;
    }
    checkReference(name, path, match[0], ctx, scope);
    if (literal !== "") parts.push(literal);
    literal = "";
    const ref = { ref: name.split(".") };
    if (ref.ref[0] !== "self") ctx.refs.push({ ref, path, text: match[0] });
    parts.push(ref);
  }
  literal += text.slice(last);
  if (literal !== "") parts.push(literal);
  return parts;
}

/** A field that holds exactly one reference, e.g. `fromImage: ${{ dockerImages.pulled.x }}`. */
export function wholeReference(text: string, path: FieldPath, ctx: Context): PackageRef {
  const parts = template(text, path, ctx);
  const only = parts[0];
  return parts.length === 1 && typeof only !== "string" && only !== undefined ? only : { ref: [] };
}

function checkReference(
  name: string,
  path: FieldPath,
  written: string,
  ctx: Context,
  scope: RefScope,
): void {
  const report = (code: string, message: string, hint?: string) =>
    ctx.diagnostics.push(error(ctx.v, path, code, message, hint, written));
  const [head, second] = name.split(".");
  if (head === "pkgs") {
    if (second !== undefined && nixpkgsAttributes().has(second)) return;
    const suggestion = second === undefined ? undefined : didYouMean(second, nixpkgsAttributes());
    report(
      "ref/unknown-nixpkgs",
      second === undefined
        ? "expected pkgs.<name>, a package of nixpkgs"
        : `unknown nixpkgs package ${second}`,
      suggestion === undefined
        ? "if the pinned nixpkgs has it, add it to nixpkgs/facts.json"
        : `did you mean \${{ pkgs.${suggestion} }}?`,
    );
    return;
  }
  if (head === "args") {
    report(
      "ref/args-outside-fragment",
      `${written} is a fragment parameter; it can only be used inside packages/fragments/`,
    );
    return;
  }
  if (head === "self") {
    if (name === "self.files" && scope.selfFiles === true) return;
    const [, files, key, ...rest] = name.split(".");
    if (files === "files" && key !== undefined && rest.length === 0 && ctx.imageFiles.has(key)) {
      return;
    }
    const suggestion =
      files === "files" && key !== undefined ? didYouMean(key, ctx.imageFiles) : undefined;
    report(
      "ref/self",
      `${written} is not available here; \${{ self.files }} is the files directory of a tool script that has files, \${{ self.files.<key> }} a file of the image's files`,
      suggestion === undefined ? undefined : `did you mean \${{ self.files.${suggestion} }}?`,
    );
    return;
  }
  if (isKnown(name, ctx.known)) return;
  const isSet = [...ctx.known].some((k) => k.startsWith(`${name}.`));
  const suggestion = didYouMean(name, ctx.known);
  report(
    "ref/unknown",
    isSet
      ? `${name} is a set of packages, not a package; reference one of its members`
      : `unknown package ${name}; expected a package of this set or pkgs.<name> for nixpkgs`,
    suggestion === undefined ? undefined : `did you mean \${{ ${suggestion} }}?`,
  );
}
