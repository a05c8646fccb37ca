// The attributes of the package set, as `nixgen list` shows them: each with its kind, the name it
// builds under (image name, package name, program) and the descriptor it comes from. Test images
// and the attributes a contrail package set exposes are attributes too.

import type { Package } from "./model.ts";

export interface Attribute {
  /** Attribute path, as `nix-build -A` takes it. */
  readonly attr: string;
  readonly kind: string;
  /** What it is called once built: an image name, a package name and version, a program. */
  readonly name: string;
  /** The descriptor it comes from. */
  readonly source: string;
}

function nameOf(p: Package): string {
  switch (p.kind) {
    case "application":
      return p.version === null ? p.pname : `${p.pname}-${p.version}`;
    case "dockerImage":
      return p.imageName;
    case "pulledImage":
      return `${p.imageName}:${p.imageTag}`;
    case "debianPackage":
      return `${p.packageName}_${p.version}`;
    case "tool":
      return p.tool.type === "script"
        ? p.tool.program
        : p.tool.type === "ubuntuVm"
          ? "Ubuntu 16.04 VM script"
          : p.tool.nixFile.slice(p.tool.nixFile.lastIndexOf("/") + 1);
    case "test":
      return p.nixFile.slice(p.nixFile.lastIndexOf("/") + 1);
    case "contrailPackageSet":
      return `nixpkgs-contrail (${p.upstream.version})`;
  }
}

export function attributes(packages: readonly Package[]): Attribute[] {
  const all: Attribute[] = [];
  for (const p of packages) {
    const attr = p.attrPath.join(".");
    all.push({ attr, kind: p.kind, name: nameOf(p), source: p.source });
    if (p.kind === "test") {
      for (const { name, image } of p.images) {
        const path = `${attr}.images.${name}`;
        all.push({ attr: path, kind: "dockerImage", name: image.imageName, source: p.source });
      }
    }
    if (p.kind === "contrailPackageSet") {
      for (const name of [...p.expose, ...p.vrouterModules.map((m) => m.name)]) {
        all.push({ attr: `${attr}.${name}`, kind: "contrail", name, source: p.source });
      }
    }
  }
  return all.sort((a, b) => (a.attr < b.attr ? -1 : a.attr > b.attr ? 1 : 0));
}
