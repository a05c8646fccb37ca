# nixos/lib/testing.nix of nixpkgs 18.03, offline: makeTest and simpleTest give the test
# derivation `vm-test-run-<name>` with its `driver`, which cannot run without a VM (see
# ../../../harness/nixos-test.nix).
{
  system,
  minimal ? false,
  config ? { },
}:

let
  pkgs = import ../.. { inherit system config; };
  nixos = import ../../../harness/nixos-test.nix {
    era = "18.03";
    inherit pkgs;
  };
in
{
  inherit pkgs;
  inherit (nixos)
    makeTest
    runInMachine
    runInMachineWithX
    testDriver
    ;
  simpleTest = as: (nixos.makeTest as).test;
}
