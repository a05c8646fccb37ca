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
import { emitPackageSet, packageFilePath, setEntry } from "../templates/packageSet.ts";
import { emitPulledImage } from "../templates/pulledImage.ts";
import { emitTest, emitTestImages } from "../templates/test.ts";
import { emitTool } from "../templates/tool.ts";
import { generatedHeader } from "../templates/common.ts";

export const NIX_LIBRARY_DIR = fileURLToPath(new URL("../templates/nix/", import.meta.url));

/** A generated file: a Nix AST to print, or text already final. */
export type Output = { readonly nix: NixFile } | { readonly text: string };

/** Paths are relative to generated/. */
export type OutputTree = ReadonlyMap<string, Output>;

function emitPackage(p: Package, depsFile: string | undefined): NixFile {
  switch (p.kind) {
    case "application":
      return emitApplication(p, depsFile);
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

/**
 * A group of files made from one value, `input`, by `make`, which reads nothing else: the output
 * cache knows the files by a digest of the unit's kind and that value, so `make` must take
 * everything it reads from it (and each kind has its own `make`: two kinds may have equal inputs).
 */
export interface EmitUnit<I = unknown> {
  readonly kind: "set" | "flake" | "pins" | "goDeps" | "package" | "hydraProject";
  /** The descriptor a builder's refusal is reported on. */
  readonly source: string;
  readonly input: I;
  readonly make: (input: I) => Iterable<readonly [string, Output]>;
}

const unit = <I>(
  kind: EmitUnit["kind"],
  source: string,
  input: I,
  make: (input: I) => Iterable<readonly [string, Output]>,
): EmitUnit => ({ kind, source, input, make: make as EmitUnit["make"] });

/** Every file of the set, as units to make one at a time (so that each AST can be dropped). */
export function emitUnits(set: PackageSet): EmitUnit[] {
  const generated = set.packages;
  const units: EmitUnit[] = [
    unit("set", "packages/", generated.map(setEntry), (packages) => [
      ["default.nix", { nix: emitPackageSet(packages) }],
      ["jobset.nix", { nix: emitJobset(packages) }],
    ]),
    unit("flake", "packages/", null, () => [["flake-outputs.nix", { nix: emitFlakeOutputs() }]]),
    unit("pins", set.pins?.source ?? "packages/", set.pins, (pins) => [
      ["nixpkgs-fetch.nix", { nix: emitNixpkgsFetch(pinsOf(pins)) }],
    ]),
  ];
  const apps = generated.filter((p): p is Application => p.kind === "application");
  const depsFiles = goDepsFiles(apps);
  for (const file of new Set(depsFiles.values())) {
    const sharing = apps.filter((a) => depsFiles.get(a) === file);
    const input = { file, app: sharing[0]!, sources: sharing.map((a) => a.source) };
    units.push(
      unit("goDeps", input.sources[0]!, input, ({ file, app, sources }) => [
        [file, { nix: emitGoDeps(app, sources) }],
      ]),
    );
  }
  for (const p of generated) {
    const input = { p, depsFile: p.kind === "application" ? depsFiles.get(p) : undefined };
    units.push(unit("package", p.source, input, packageOutputs));
  }
  for (const project of set.hydraProjects) {
    units.push(
      unit("hydraProject", project.source, project, (project) => {
        const dir = hydraProjectDir(project);
        return [
          [`${dir}/spec.json`, { text: emitHydraSpec(project) }],
          [`${dir}/jobsets.nix`, { nix: emitHydraJobsets(project) }],
        ];
      }),
    );
  }
  return units;
}

/** The outputs of a unit; a builder's refusal becomes a diagnostic on its descriptor. */
export function makeUnit(
  unit: EmitUnit,
): { outputs: (readonly [string, Output])[] } | { diagnostic: Diagnostic } {
  try {
    return { outputs: [...unit.make(unit.input)] };
  } catch (error) {
    if (!(error instanceof NixBuildError)) throw error;
    return { diagnostic: internalError(unit.source, error) };
  }
}

/** Every file of the set at once (for the tests and `show`; `generate` makes units one by one). */
export function emit(set: PackageSet): { tree: OutputTree; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, Output>();
  for (const made of emitUnits(set).map(makeUnit)) {
    if ("diagnostic" in made) diagnostics.push(made.diagnostic);
    else for (const [path, output] of made.outputs) files.set(path, output);
  }
  for (const [name, text] of nixLibrary()) files.set(`lib/${name}`, { text });
  return { tree: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))), diagnostics };
}

/** The files of one package: its own, a test's images, a bundle's gemset. */
function packageOutputs(input: {
  readonly p: Package;
  readonly depsFile: string | undefined;
}): [string, Output][] {
  const { p, depsFile } = input;
  const outputs: [string, Output][] = [[packageFilePath(p), { nix: emitPackage(p, depsFile) }]];
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
export function nixLibrary(): [string, string][] {
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
