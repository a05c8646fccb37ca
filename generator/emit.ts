// Stage 6, emit: the package set as a tree of files, each a Nix AST from the template of its
// kind, plus the helper library copied from templates/nix/.

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "./diagnostics.ts";
import { NixBuildError, type NixFile } from "./nix/index.ts";
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
import { emitFlakeOutputs } from "../templates/flakeOutputs.ts";
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
  /** Adds the outputs `make` gives; a builder's refusal becomes a diagnostic on `source`. */
  const add = (source: string, make: () => Iterable<readonly [string, Output]>) => {
    try {
      for (const [path, output] of make()) files.set(path, output);
    } catch (error) {
      if (!(error instanceof NixBuildError)) throw error;
      diagnostics.push(internalError(source, error));
    }
  };
  add("packages/", () => [
    ["default.nix", { nix: emitPackageSet(generated) }],
    ["jobset.nix", { nix: emitJobset(generated) }],
    ["flake-outputs.nix", { nix: emitFlakeOutputs() }],
  ]);
  add(set.pins?.source ?? "packages/", () => [
    ["nixpkgs-fetch.nix", { nix: emitNixpkgsFetch(pinsOf(set.pins)) }],
  ]);
  const apps = generated.filter((p): p is Application => p.kind === "application");
  const depsFiles = goDepsFiles(apps);
  for (const file of new Set(depsFiles.values())) {
    const sharing = apps.filter((a) => depsFiles.get(a) === file);
    const sources = sharing.map((a) => a.source);
    add(sources[0]!, () => [[file, { nix: emitGoDeps(sharing[0]!, sources) }]]);
  }
  for (const p of generated) add(p.source, () => packageOutputs(p, depsFiles));
  for (const project of set.hydraProjects) {
    const dir = hydraProjectDir(project);
    add(project.source, () => [
      [`${dir}/spec.json`, { text: emitHydraSpec(project) }],
      [`${dir}/jobsets.nix`, { nix: emitHydraJobsets(project) }],
    ]);
  }
  for (const [name, text] of nixLibrary()) files.set(`lib/${name}`, { text });
  return { tree: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))), diagnostics };
}

/** The files of one package: its own, a test's images, a bundle's gemset. */
function packageOutputs(p: Package, depsFiles: Map<Application, string>): [string, Output][] {
  const outputs: [string, Output][] = [[packageFilePath(p), { nix: emitPackage(p, depsFiles) }]];
  if (p.kind === "test") {
    for (const [path, file] of emitTestImages(p)) outputs.push([path, { nix: file }]);
  }
  const gemset = p.kind === "application" ? gemsetPath(p) : undefined;
  if (gemset !== undefined && p.kind === "application") {
    outputs.push([gemset, { nix: emitGemset(p) }]);
  }
  return outputs;
}

/**
 * The builders refuse what Nix could not read (a name bound twice, a NUL in a string). Resolve
 * reports every such input first; reaching this is a gap in its checks, said as such.
 */
function internalError(source: string, error: NixBuildError): Diagnostic {
  return {
    severity: "error",
    code: "internal/emit",
    file: source,
    line: 0,
    column: 0,
    length: 0,
    field: "",
    message: `the generator could not write Nix for this descriptor: ${error.message}`,
    hint: "this is a gap in the generator's own checks; please file it with this descriptor",
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
