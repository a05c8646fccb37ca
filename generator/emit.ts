// Stage 6, emit: the package set as a tree of files, each a Nix AST from the template of its
// kind, plus the helper library copied from templates/nix/.

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "./diagnostics.ts";
import type { NixFile } from "./nix/index.ts";
import type { Application, Package, PackageSet } from "./model.ts";
import {
  emitApplication,
  emitGemset,
  emitGoDeps,
  gemsetPath,
  goDepsFiles,
} from "../templates/application.ts";
import { emitContrailPackageSet } from "../templates/contrail.ts";
import { emitDebianPackage } from "../templates/debianPackage.ts";
import { emitDockerImage } from "../templates/dockerImage.ts";
import { emitHydraJobsets, emitHydraSpec, hydraProjectDir } from "../templates/hydraProject.ts";
import { emitJobset } from "../templates/jobset.ts";
import { emitNixpkgsFetch, pinsOf } from "../templates/nixpkgsFetch.ts";
import { emitPackageSet, packageFilePath } from "../templates/packageSet.ts";
import { emitPulledImage } from "../templates/pulledImage.ts";
import { emitTest, emitTestImages } from "../templates/test.ts";
import { emitTool } from "../templates/tool.ts";
import { generatedHeader } from "../templates/common.ts";

export const NIX_LIBRARY_DIR = fileURLToPath(new URL("../templates/nix/", import.meta.url));

/** A generated file: a Nix AST to print, or text already final. */
export type Output = { readonly nix: NixFile } | { readonly text: string };

/** Paths are relative to generated/. */
export type OutputTree = ReadonlyMap<string, Output>;

function emitPackage(p: Package, depsFiles: Map<Application, string>): NixFile {
  switch (p.kind) {
    case "application":
      return emitApplication(p, depsFiles.get(p));
    case "pulledImage":
      return emitPulledImage(p);
    case "dockerImage":
      return emitDockerImage(p);
    case "tool":
      return emitTool(p, packageFilePath(p));
    case "test":
      return emitTest(p, packageFilePath(p));
    case "debianPackage":
      return emitDebianPackage(p);
    case "contrailPackageSet":
      return emitContrailPackageSet(p);
  }
}

export function emit(set: PackageSet): { tree: OutputTree; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const generated = set.packages;
  const files = new Map<string, Output>();
  files.set("default.nix", { nix: emitPackageSet(generated) });
  files.set("jobset.nix", { nix: emitJobset(generated) });
  files.set("nixpkgs-fetch.nix", { nix: emitNixpkgsFetch(pinsOf(set.pins)) });
  const apps = generated.filter((p): p is Application => p.kind === "application");
  const depsFiles = goDepsFiles(apps);
  for (const file of new Set(depsFiles.values())) {
    const sharing = apps.filter((a) => depsFiles.get(a) === file);
    files.set(file, {
      nix: emitGoDeps(
        sharing[0]!,
        sharing.map((a) => a.source),
      ),
    });
  }
  for (const p of generated) {
    files.set(packageFilePath(p), { nix: emitPackage(p, depsFiles) });
    if (p.kind === "test") {
      for (const [path, file] of emitTestImages(p)) files.set(path, { nix: file });
    }
    const gemset = p.kind === "application" ? gemsetPath(p) : undefined;
    if (gemset !== undefined && p.kind === "application") {
      files.set(gemset, { nix: emitGemset(p) });
    }
  }
  for (const project of set.hydraProjects) {
    const dir = hydraProjectDir(project);
    files.set(`${dir}/spec.json`, { text: emitHydraSpec(project) });
    files.set(`${dir}/jobsets.nix`, { nix: emitHydraJobsets(project) });
  }
  for (const [name, text] of nixLibrary()) files.set(`lib/${name}`, { text });
  return { tree: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))), diagnostics };
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
