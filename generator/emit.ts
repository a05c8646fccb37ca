// Stage 6, emit: the package set as a tree of files, each a Nix AST from the template of its
// kind, plus the helper library copied from templates/nix/.

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "./diagnostics.ts";
import type { NixFile } from "./nix/index.ts";
import type { Package, PackageSet } from "./model.ts";
import { emitApplication, isGenerated } from "../templates/application.ts";
import { emitDockerImage, unsupportedImageFeature } from "../templates/dockerImage.ts";
import { emitNixpkgsFetch, pinsOf } from "../templates/nixpkgsFetch.ts";
import { emitPackageSet, packageFilePath } from "../templates/packageSet.ts";
import { emitPulledImage } from "../templates/pulledImage.ts";
import { generatedHeader } from "../templates/common.ts";

export const NIX_LIBRARY_DIR = fileURLToPath(new URL("../templates/nix/", import.meta.url));

/** A generated file: a Nix AST to print, or text already final. */
export type Output = { readonly nix: NixFile } | { readonly text: string };

/** Paths are relative to generated/. */
export type OutputTree = ReadonlyMap<string, Output>;

/** Why a valid package is not generated yet, or undefined when it is. */
function notGenerated(p: Package): string | undefined {
  switch (p.kind) {
    case "application":
      return isGenerated(p) ? undefined : `${p.build.builder} builds`;
    case "dockerImage":
      return unsupportedImageFeature(p);
    case "pulledImage":
      return undefined;
    default:
      return `${p.kind} descriptors`;
  }
}

function emitPackage(p: Package): NixFile {
  switch (p.kind) {
    case "application":
      return emitApplication(p);
    case "pulledImage":
      return emitPulledImage(p);
    case "dockerImage":
      return emitDockerImage(p);
    default:
      throw new Error(`${p.source}: ${p.kind} is not generated`);
  }
}

export function emit(set: PackageSet): { tree: OutputTree; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const generated = set.packages.filter((p) => {
    const reason = notGenerated(p);
    if (reason !== undefined) diagnostics.push(leftOut(p, reason));
    return reason === undefined;
  });
  const files = new Map<string, Output>();
  files.set("default.nix", { nix: emitPackageSet(generated) });
  files.set("nixpkgs-fetch.nix", { nix: emitNixpkgsFetch(pinsOf(set.pins)) });
  for (const p of generated) files.set(packageFilePath(p), { nix: emitPackage(p) });
  for (const [name, text] of nixLibrary()) files.set(`lib/${name}`, { text });
  return { tree: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))), diagnostics };
}

function leftOut(p: Package, reason: string): Diagnostic {
  return {
    severity: "warning",
    code: "emit/not-generated",
    file: p.source,
    line: 0,
    column: 0,
    length: 0,
    field: "",
    message: `${p.attrPath.join(".")} is valid but left out of generated/: ${reason} are checked, not generated yet`,
  };
}

/** templates/nix/*.nix with the generated-file header in front. */
function nixLibrary(): [string, string][] {
  return readdirSync(NIX_LIBRARY_DIR)
    .filter((f) => f.endsWith(".nix"))
    .sort()
    .map((f) => {
      const header = generatedHeader([`templates/nix/${f}`])
        .map((l) => `# ${l}\n`)
        .join("");
      return [f, header + readFileSync(`${NIX_LIBRARY_DIR}${f}`, "utf8")];
    });
}
