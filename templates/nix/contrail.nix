# contrail32Cw: nixpkgs-contrail's package set, built from Cloudwatt's sources.
{ pkgs }:

let
  inherit (pkgs) lib;
in
{
  # nixpkgs-contrail's all-packages.nix is an open set (a function of the final set). One layer
  # on top swaps in `sources`, selects `version` (the name of the version attribute, e.g.
  # contrail32), and replaces the output hash of the fixed-output derivations named in
  # `outputHashes` (their hash depends on the nixpkgs used). The fixed point is taken, and only
  # `expose` is kept, plus one vrouter kernel module per entry of `vrouterModules`
  # (attribute -> kernel headers).
  contrailPackageSet =
    {
      contrail,
      entry,
      version,
      sources,
      outputHashes,
      expose,
      vrouterModules,
    }:
    let
      open = import (contrail + "/${entry}") {
        inherit pkgs;
        nixpkgs = pkgs.path;
      };
      cloudwatt =
        self: super:
        {
          sources = super.sources32 // sources;
          contrailVersion = self.${version};
        }
        // lib.mapAttrs (
          name: hash:
          super.${name}.overrideAttrs (_: {
            outputHash = hash;
          })
        ) outputHashes;
      set = lib.fix (lib.extends cloudwatt open);
    in
    lib.getAttrs expose set // lib.mapAttrs (_: headers: set.lib.buildVrouter headers) vrouterModules;
}
