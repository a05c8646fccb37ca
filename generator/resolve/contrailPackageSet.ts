// Resolution of a contrail package set: upstream, source overrides, exposed attributes, vrouter modules.

import type { ContrailPackageSet } from "../model.ts";
import type { Common } from "./context.ts";
import type { Reader } from "./reader.ts";
import { toGitHub } from "./sources.ts";

export function toContrailPackageSet(r: Reader, common: Common): ContrailPackageSet {
  const upstream = r.child("upstream");
  return {
    ...common,
    kind: "contrailPackageSet",
    upstream: {
      entry: upstream.optStr("entry") ?? "all-packages.nix",
      version: upstream.str("version"),
    },
    sourceOverrides: r
      .entries("sourceOverrides")
      .map(([key]) => ({ key, github: toGitHub(r.child("sourceOverrides").child(key)) })),
    outputHashes: r
      .entries("outputHashes")
      .map(([attribute, sha256]) => ({ attribute, sha256: sha256 as string })),
    expose: r.strings("expose"),
    vrouterModules: r
      .entries("vrouterModules")
      .map(([name]) => ({ name, kernelHeaders: r.child("vrouterModules").ref(name) })),
  };
}
