# The NixOS test framework of the nixpkgs tree `pkgs_path`: testing-python.nix where it exists
# (current nixpkgs, Python test scripts), testing.nix otherwise (18.03, Perl test scripts).
{
  pkgs,
  pkgs_path,
}:

let
  python = builtins.pathExists (pkgs_path + "/nixos/lib/testing-python.nix");
  testing =
    if python then
      import (pkgs_path + "/nixos/lib/testing-python.nix") {
        inherit (pkgs) system;
        inherit pkgs;
      }
    else
      import (pkgs_path + "/nixos/lib/testing.nix") { inherit (pkgs) system; };
in
{
  inherit (testing) makeTest;
  inherit python;
  # The test script in the language of this framework.
  script = scripts: if python then scripts.python else scripts.perl;
  # The program of a test driver that starts the VMs.
  runVms = if python then "nixos-test-driver" else "nixos-run-vms";
}
