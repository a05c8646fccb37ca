// generated/flake-outputs.nix: the outputs of the root flake.nix, from the same set as
// default.nix and jobset.nix. The flake passes its inputs (the pins of packages/pins.yaml, as
// non-flake inputs) and itself; a flake has no current system, so it names the one it builds for.

import { nix, type NixFile } from "../generator/nix/index.ts";
import { generatedHeader } from "./common.ts";

export const FLAKE_SYSTEM = "x86_64-linux";

export function emitFlakeOutputs(): NixFile {
  const sys = nix.ident("system");
  const withContrail = nix.attrs([
    nix.inherit(["nixpkgs", "system"]),
    nix.bind("contrail", nix.ident("nixpkgs-contrail")),
  ]);
  const body = nix.let(
    [
      nix.bind("system", nix.string(FLAKE_SYSTEM)),
      nix.bind("set", nix.call(nix.ident("import"), nix.path("./default.nix"), withContrail)),
      nix.bind(
        "pkgs",
        nix.call(
          nix.ident("import"),
          nix.ident("nixpkgs"),
          nix.attrs([nix.inherit(["system"]), nix.bind("config", nix.attrs([]))]),
        ),
      ),
      nix.bind(
        "cwLib",
        nix.call(nix.ident("import"), nix.path("./lib"), nix.attrs([nix.inherit(["pkgs"])])),
      ),
    ],
    nix.attrs([
      nix.bind(
        ["packages", { interpolated: sys }],
        nix.call(nix.ref("cwLib.flakePackages"), nix.ident("set")),
        {
          comment:
            "Every derivation of the set, named by where it lives (dockerImages-locksmithWorker).",
        },
      ),
      nix.bind(["legacyPackages", { interpolated: sys }], nix.ident("set"), {
        comment: "The nested set, as default.nix gives it.",
      }),
      nix.bind(
        "hydraJobs",
        nix.call(
          nix.ident("import"),
          nix.path("./jobset.nix"),
          nix.attrs([
            nix.inherit(["nixpkgs", "system"]),
            nix.bind("contrail", nix.ident("nixpkgs-contrail")),
            nix.bind("cloudwatt", nix.ident("self")),
          ]),
        ),
        {
          comment: [
            "The jobs of jobset.nix. Its push and publish jobs are left out: they are switched on by",
            "arguments, which a flake's outputs cannot take, and need credentials from the environment.",
          ],
        },
      ),
      nix.bind("lib", nix.ident("cwLib"), { comment: "The helper library (cwLib)." }),
    ]),
  );
  const fn = nix.lambda(
    { formals: [nix.formal("self"), nix.formal("nixpkgs"), nix.formal("nixpkgs-contrail")] },
    body,
  );
  return nix.file(generatedHeader(["the descriptors under packages/"]), fn);
}
