# An offline stand-in for nixpkgs-contrail's own entry point: contrail32 and contrailMaster, the
# package set of all-packages.nix for each version. nixpkgs defaults to the nixpkgs 18.03
# stand-in (nixpkgs-contrail fetches its pinned nixpkgs, which cannot be done offline).
{
  fetched ? {
    pkgs = ../nixpkgs-18.03;
  },
  nixpkgs ? fetched.pkgs,
}:

let
  pkgs = import nixpkgs { };
  inherit (pkgs) lib;
  allPackages = import ./all-packages.nix { inherit pkgs nixpkgs; };

  contrail32Pkgs =
    let
      f = self: super: {
        contrailVersion = self.contrail32;
        sources = super.sources32;
        thirdPartyCache = super.thirdPartyCache.overrideAttrs (oldAttrs: {
          outputHash = "1rvj0dkaw4jbgmr5rkdw02s1krw1307220iwmf2j0p0485p7d3h2";
        });
      };
    in
    lib.fix (lib.extends f allPackages);

  contrailMasterPkgs = lib.fix allPackages;
in
{
  contrail32 = lib.getAttrs [
    "api"
    "analyticsApi"
    "collector"
    "configUtils"
    "control"
    "discovery"
    "queryEngine"
    "schemaTransformer"
    "svcMonitor"
    "vrouterAgent"
    "vrouterNetns"
    "vrouterPortControl"
    "vrouterUtils"
    "lib"
    "test"
    "tools"
    "vms"
  ] contrail32Pkgs;
  contrailMaster = lib.getAttrs [
    "api"
    "collector"
    "control"
    "vrouterAgent"
  ] contrailMasterPkgs;
}
