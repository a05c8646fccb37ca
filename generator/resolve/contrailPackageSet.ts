// Resolution of a contrail package set: upstream, source overrides, exposed attributes, vrouter modules.

import { forNix } from "../hashes.ts";
import type { ContrailPackageSet } from "../model.ts";
import { error, whereIs, type Common } from "./context.ts";
import type { Reader } from "./reader.ts";
import { toGitHub } from "./sources.ts";

export function toContrailPackageSet(r: Reader, common: Common): ContrailPackageSet {
  const upstream = r.child("upstream");
  const expose = r.strings("expose");
  for (const [name] of r.entries("vrouterModules")) {
    const i = expose.indexOf(name);
    if (i < 0) continue;
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        ["vrouterModules", name],
        "contrail/duplicate-name",
        `expected each attribute of the set once, found ${JSON.stringify(name)} as a vrouter module and exposed; the other is at ${whereIs(r.ctx.v, ["expose", i])}`,
        "rename the vrouter module, or remove the name from expose",
      ),
    );
  }
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
      .flatMap(([attribute, sha256]) =>
        typeof sha256 === "string" ? [{ attribute, sha256: forNix(sha256) }] : [],
      ),
    expose,
    vrouterModules: r
      .entries("vrouterModules")
      .map(([name]) => ({ name, kernelHeaders: r.child("vrouterModules").ref(name) })),
  };
}
