// Stage 5, emit: the package set as a tree of files, each a Nix AST from the template of its
// kind, plus the helper library copied from templates/nix/.

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { NixFile } from "./nix/index.ts";
import type { Package, PackageSet } from "./model.ts";
import { emitApplication } from "../templates/application.ts";
import { emitDockerImage } from "../templates/dockerImage.ts";
import { emitNixpkgsFetch } from "../templates/nixpkgsFetch.ts";
import { emitPackageSet, packageFilePath } from "../templates/packageSet.ts";
import { emitPulledImage } from "../templates/pulledImage.ts";
import { generatedHeader } from "../templates/common.ts";

export const NIX_LIBRARY_DIR = fileURLToPath(new URL("../templates/nix/", import.meta.url));

/** A generated file: a Nix AST to print, or text already final. */
export type Output = { readonly nix: NixFile } | { readonly text: string };

/** Paths are relative to generated/. */
export type OutputTree = ReadonlyMap<string, Output>;

function emitPackage(p: Package): NixFile {
  switch (p.kind) {
    case "application":
      return emitApplication(p);
    case "pulledImage":
      return emitPulledImage(p);
    case "dockerImage":
      return emitDockerImage(p);
  }
}

export function emit(set: PackageSet): OutputTree {
  const files = new Map<string, Output>();
  files.set("default.nix", { nix: emitPackageSet(set.packages) });
  files.set("nixpkgs-fetch.nix", { nix: emitNixpkgsFetch() });
  for (const p of set.packages) files.set(packageFilePath(p), { nix: emitPackage(p) });
  for (const [name, text] of nixLibrary()) files.set(`lib/${name}`, { text });
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
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
