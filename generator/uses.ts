// What a package of the set uses: the packages its references name, those its hand-written Nix
// files take as arguments (and select from namespaces they take), and what its kind adds (the
// fluentd packages of images with fluentd). The upgrade report and the catalog read the same.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Package } from "./model.ts";
import { FLUENTD_PACKAGES } from "./resolve/dockerImage.ts";

/** Every `ref` of a package (its PackageRefs, wherever they are in it). */
export function refsOf(value: unknown, out: string[][] = []): string[][] {
  if (Array.isArray(value)) {
    for (const v of value) refsOf(v, out);
  } else if (value !== null && typeof value === "object") {
    const ref = (value as { ref?: unknown }).ref;
    if (Array.isArray(ref) && ref.every((r) => typeof r === "string")) out.push(ref as string[]);
    else for (const v of Object.values(value)) refsOf(v, out);
  }
  return out;
}

/** The hand-written Nix files a package calls: its own file first, then those it imports. */
export function nixTexts(root: string, p: Package): string[] {
  const files =
    p.kind === "test"
      ? [p.nixFile, ...p.nixImports]
      : p.kind === "tool" && p.tool.type === "nixFile"
        ? [p.tool.nixFile, ...p.tool.nixImports]
        : [];
  return files.map((file) => readFileSync(join(root, file), "utf8"));
}

/** The names of a file's `{ a, b, ... }:` arguments, comments aside. */
export function formalsOf(text: string | undefined): string[] {
  if (text === undefined) return [];
  const code = text.replace(/#.*$/gm, "");
  const head = /^\s*\{([^}]*)\}\s*:/.exec(code);
  if (head === null) return [];
  return head[1]!
    .split(",")
    .map((f) => f.replace(/\?[\s\S]*$/, "").trim())
    .filter((f) => /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(f));
}

/** The packages of the set a package uses: its references, and what its kind adds. */
export function usesOf(root: string, p: Package, byPath: ReadonlyMap<string, Package>): string[] {
  const owner = (ref: readonly string[]) => {
    for (let n = ref.length; n > 0; n--) {
      const path = ref.slice(0, n).join(".");
      if (byPath.has(path)) return path;
    }
    return undefined;
  };
  const used = new Set<string>();
  for (const ref of refsOf(p)) {
    const o = owner(ref);
    if (o !== undefined && o !== p.attrPath.join(".")) used.add(o);
  }
  // A hand-written file uses the packages it takes as arguments, and those it selects from a
  // namespace it takes (`dockerImages.contrailApi`).
  const texts = nixTexts(root, p);
  for (const name of formalsOf(texts[0])) {
    if (byPath.has(name)) used.add(name);
    const selection = new RegExp(`\\b${name}((?:\\.[A-Za-z_][A-Za-z0-9_'-]*)+)`, "g");
    for (const text of texts) {
      for (const m of text.matchAll(selection)) {
        const o = owner([name, ...m[1]!.slice(1).split(".")]);
        if (o !== undefined && o !== p.attrPath.join(".")) used.add(o);
      }
    }
  }
  const images =
    p.kind === "dockerImage" ? [p] : p.kind === "test" ? p.images.map((i) => i.image) : [];
  if (images.some((i) => i.services.some((s) => s.fluentd !== null))) {
    for (const name of FLUENTD_PACKAGES) if (byPath.has(name)) used.add(name);
  }
  return [...used].sort();
}
