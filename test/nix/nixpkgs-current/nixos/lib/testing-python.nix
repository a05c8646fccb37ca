# nixos/lib/testing-python.nix of a current nixpkgs, offline: makeTest, simpleTest, runTest and
# evalTest give the test derivation `vm-test-run-<name>` with its `driver`, which cannot run
# without a VM (see ../../../harness/nixos-test.nix).
args@{
  system,
  pkgs ? import ../.. { inherit system config; },
  minimal ? false,
  config ? { },
  specialArgs ? throw "legacy - do not use, see error below",
  extraConfigurations ? [ ],
}:

assert
  args ? specialArgs
  -> throw ''
    testing-python.nix: `specialArgs` is not supported anymore. If you're looking to pass extra arguments to the test nodes, use `node.specialArgs` in the test module.
  '';

let
  nixos = import ../../../harness/nixos-test.nix {
    era = "current";
    inherit pkgs;
  };
in
{
  inherit pkgs;
  inherit (nixos) makeTest runTest evalTest;
  simpleTest = as: (nixos.makeTest as).test;
}
