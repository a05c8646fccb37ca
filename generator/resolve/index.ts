// Stage 5, resolve: turn validated descriptors into the typed package set. Fills in defaults,
// parses `${{ attr.path }}` references and checks them, places each kind in the tree, checks what
// a schema cannot (one of two fields, service names, hand-written Nix files), and reports name
// clashes and cycles. Each kind is resolved by its own module beside this one.

import type { Diagnostic } from "../diagnostics.ts";
import type { HydraProject, Package, PackageSet, Pins } from "../model.ts";
import type { FieldPath } from "../positions.ts";
import type { ValidDescriptor } from "../validate.ts";
import { toApplication } from "./application.ts";
import { isMapping, own, type Data } from "../data.ts";
import { compareText, dataPathOf, type Context } from "./context.ts";
import { toContrailPackageSet } from "./contrailPackageSet.ts";
import { checkCycles, dependencyGraph } from "./cycles.ts";
import { toDebianPackage } from "./debianPackage.ts";
import { toDockerImage } from "./dockerImage.ts";
import { toHydraProject } from "./hydraProject.ts";
import { checkNixFiles } from "./nixCode.ts";
import { toPins } from "./pins.ts";
import { toPulledImage } from "./pulledImage.ts";
import { Reader } from "./reader.ts";
import { toTest } from "./test.ts";
import { toTool } from "./tool.ts";
import { checkImageNames, checkTree } from "./tree.ts";

export { findCycle } from "./cycles.ts";
export { parseGemfile } from "./application.ts";

export interface ResolveInput {
  /** Attribute paths of every discovered descriptor, valid or not, so that a reference to a
   * descriptor with its own errors is not reported a second time as unknown. */
  readonly allPaths?: readonly (readonly string[])[];
  /** Hand-written .nix files found under packages/. */
  readonly nixFiles?: readonly string[];
  /** .nix files that descriptors with errors of their own name, or may name: not unused. */
  readonly nixFilesOfInvalid?: ReadonlySet<string>;
}

export interface Resolved {
  /** The package set, when every descriptor is valid and nothing is wrong. */
  readonly set?: PackageSet;
  readonly diagnostics: Diagnostic[];
  /** Every package resolved, also when some are not valid (their fields may be empty). */
  readonly packages: readonly Package[];
  /** Each package's references to other packages of the set. */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
}

export function resolve(
  descriptors: readonly ValidDescriptor[],
  input: ResolveInput = {},
): Resolved {
  const diagnostics: Diagnostic[] = [];
  const allPaths = input.allPaths ?? descriptors.map((v) => v.parsed.file.attrPath);
  const known = new Set(allPaths.filter(isPackagePath).map((p) => p.join(".")));
  for (const name of exposedNames(descriptors)) known.add(name);
  checkTree(descriptors, diagnostics);
  const packages: Package[] = [];
  const hydraProjects: HydraProject[] = [];
  let pins: Pins | null = null;
  const refsBySource = new Map<string, Context["refs"]>();
  for (const v of descriptors) {
    if (v.kind === "fragment") continue; // merged by the expand stage
    const local: Diagnostic[] = [];
    const ctx: Context = { v, known, diagnostics: local, refs: [], imageFiles: new Set() };
    if (v.kind === "pins") pins = toPins(v);
    else if (v.kind === "hydraProject") hydraProjects.push(toHydraProject(v));
    else {
      packages.push(toPackage(v, ctx));
      refsBySource.set(v.parsed.file.attrPath.join("."), ctx.refs);
    }
    diagnostics.push(...local.filter((d) => !nearSchemaError(v, d)));
  }
  checkNixFiles(descriptors, input.nixFiles ?? [], packages, diagnostics, input.nixFilesOfInvalid);
  checkCycles(descriptors, refsBySource, diagnostics);
  checkImageNames(descriptors, packages, diagnostics);
  packages.sort((a, b) => compareText(a.attrPath.join("."), b.attrPath.join(".")));
  hydraProjects.sort((a, b) => compareText(a.name, b.name));
  const complete = diagnostics.length === 0 && descriptors.every((v) => v.invalidAt.length === 0);
  const dependencies = dependencyGraph(refsBySource);
  const set = complete ? { set: { packages, pins, hydraProjects } } : {};
  return { ...set, diagnostics, packages, dependencies };
}

/**
 * A problem found at, above or below a place where the descriptor breaks its schema: the
 * schema's diagnostic already says what is wrong there.
 */
function nearSchemaError(v: ValidDescriptor, d: Diagnostic): boolean {
  const path = dataPathOf(d);
  if (path === undefined) return false;
  const within = (outer: FieldPath, inner: FieldPath) =>
    outer.length <= inner.length && outer.every((step, i) => step === inner[i]);
  return v.invalidAt.some((bad) => within(bad, path) || within(path, bad));
}

/**
 * Attributes a contrail package set re-exports from nixpkgs-contrail (`contrail32Cw.api`) and its
 * vrouter modules. Exposed sets (`tools`, `test`) are opaque: any attribute below them is accepted.
 */
function exposedNames(descriptors: readonly ValidDescriptor[]): string[] {
  return descriptors
    .filter((v) => v.kind === "contrailPackageSet")
    .flatMap((v) => {
      const data = v.value as Data;
      const set = v.parsed.file.attrPath.join(".");
      const expose = own(data, "expose");
      const modules = own(data, "vrouterModules");
      const names = Array.isArray(expose) ? expose.filter((n) => typeof n === "string") : [];
      names.push(...(isMapping(modules) ? Object.keys(modules) : []));
      return names.map((n) => `${set}.${n}`);
    });
}

/** Paths that name a package: not fragments, CI projects or the pins. */
const isPackagePath = (p: readonly string[]): boolean =>
  p[0] !== "fragments" && p[0] !== "ci" && !(p.length === 1 && p[0] === "pins");

function toPackage(v: ValidDescriptor, ctx: Context): Package {
  const r = new Reader(ctx, v.value as Data, []);
  const common = {
    attrPath: v.parsed.file.attrPath,
    source: v.parsed.file.path,
    description: r.optStr("description"),
  };
  switch (v.kind) {
    case "application":
      return toApplication(r, common);
    case "tool":
      return toTool(r, common);
    case "test":
      return toTest(r, common);
    case "pulledImage":
      return toPulledImage(r, common);
    case "dockerImage":
      return toDockerImage(r, common);
    case "debianPackage":
      return toDebianPackage(r, common);
    case "contrailPackageSet":
      return toContrailPackageSet(r, common);
    default:
      throw new Error(`not a package kind: ${v.kind}`);
  }
}
