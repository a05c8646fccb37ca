# The Cloudwatt package set as a flake. Its outputs are generated from the descriptors under
# packages/ (generated/flake-outputs.nix); its inputs are the pins of packages/pins.yaml, as
# non-flake inputs (`nixgen check` reports an input or a flake.lock that disagrees with them).
{
  description = "The Cloudwatt Nix package set";

  inputs = {
    nixpkgs = {
      url = "github:NixOS/nixpkgs/6796f5db1c2a25aeade10d613ddb403e4eb7a928";
      flake = false;
    };
    nixpkgs-contrail = {
      url = "github:nlewo/nixpkgs-contrail/856e0d3f7e58d5c51aae86bc3a12732b3c33baf4";
      flake = false;
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      nixpkgs-contrail,
    }:
    import ./generated/flake-outputs.nix { inherit self nixpkgs nixpkgs-contrail; };
}
