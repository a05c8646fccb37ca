# An offline stand-in for a current nixpkgs (master of June 2026, as nixpkgs/facts.json records
# what it has, refuses and throws), importable like it:
#   import ./test/nix/nixpkgs-current { config = { }; }
# This directory also stands for the nixpkgs tree itself (`pkgs.path`): it has
# nixos/lib/testing-python.nix. The package set is ../harness, for the era "current".
#
# The arguments are those of pkgs/top-level/impure.nix; pkgs/top-level/default.nix ignores
# unknown ones (`...`). `config` and `overlays` default to nothing rather than to the files in
# $HOME, so evaluations do not depend on the machine. nixpkgs itself refuses a Nix older than
# its minimum version (newer than the Nix 2.8 of the tests); the stand-in does not check.
{
  localSystem ? {
    system = args.system or builtins.currentSystem;
  },
  system ? localSystem.system,
  crossSystem ? localSystem,
  config ? { },
  overlays ? [ ],
  crossOverlays ? [ ],
  ...
}@args:

# If `localSystem` was explicitly passed, legacy `system` should not be passed, and vice versa.
assert args ? localSystem -> !(args ? system);
assert args ? system -> !(args ? localSystem);

let
  systemOf = s: if builtins.isString s then s else s.system;
in
assert
  systemOf crossSystem == systemOf localSystem
  || throw "the harness builds for the local system only";
import ../harness {
  era = "current";
  path = ./.;
  system = systemOf localSystem;
  inherit config overlays;
}
