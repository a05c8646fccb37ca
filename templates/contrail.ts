// Template of the `contrailPackageSet` kind: nixpkgs-contrail's set with Cloudwatt's sources,
// through cwLib.contrailPackageSet. `contrailPath` is the nixpkgs-contrail tree given to
// default.nix.

import { nix, type NixFile } from "../generator/nix/index.ts";
import type { ContrailPackageSet } from "../generator/model.ts";
import { packageFile, refExpr, srcExpr } from "./common.ts";

export function emitContrailPackageSet(set: ContrailPackageSet): NixFile {
  const sources = set.sourceOverrides.map(({ key, github }) =>
    nix.bind([key], srcExpr({ type: "github", ...github }), {
      comment: github.branch === null ? undefined : `branch ${github.branch}`,
    }),
  );
  const body = nix.call(
    nix.select(nix.ident("cwLib"), "contrailPackageSet"),
    nix.attrs([
      nix.bind("contrail", nix.ident("contrailPath")),
      nix.bind("entry", nix.string(set.upstream.entry)),
      nix.bind("version", nix.string(set.upstream.version)),
      nix.bind("sources", nix.attrs(sources)),
      nix.bind(
        "outputHashes",
        nix.attrs(set.outputHashes.map((o) => nix.bind([o.attribute], nix.string(o.sha256)))),
      ),
      nix.bind("expose", nix.list(set.expose.map((e) => nix.string(e)))),
      nix.bind(
        "vrouterModules",
        nix.attrs(set.vrouterModules.map((m) => nix.bind([m.name], refExpr(m.kernelHeaders)))),
      ),
    ]),
  );
  const args = [
    "contrailPath",
    "cwLib",
    "fetchFromGitHub",
    ...set.vrouterModules.map((m) => m.kernelHeaders.ref[0]!),
  ];
  return packageFile(set.source, args, body);
}
