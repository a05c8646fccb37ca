# An offline stand-in for nixpkgs release-18.03, importable like it:
#   import ./test/nix/nixpkgs-18.03 { config = { }; }
# This directory also stands for the nixpkgs tree itself (`pkgs.path`): it has
# nixos/lib/testing.nix. The package set is ../harness, for the era "18.03".
#
# The arguments are those of 18.03's pkgs/top-level/impure.nix, which forwards them (without
# `system` and `platform`) to pkgs/top-level/default.nix, whose formals have no `...`: an
# unknown argument is an error there, and here. `config` and `overlays` default to nothing
# rather than to the files in $HOME, so evaluations do not depend on the machine.
{
  localSystem ? builtins.intersectAttrs {
    system = null;
    platform = null;
  } args,
  system ? localSystem.system or builtins.currentSystem,
  platform ? localSystem.platform or null,
  crossSystem ? null,
  config ? { },
  overlays ? [ ],
  ...
}@args:

# If `localSystem` was explicitly passed, legacy `system` and `platform` should not be passed.
assert args ? localSystem -> !(args ? system || args ? platform);

let
  topLevel =
    {
      localSystem,
      crossSystem ? null,
      config ? { },
      overlays ? [ ],
      stdenvStages ? null,
    }:
    assert crossSystem == null || throw "the harness builds for the local system only";
    import ../harness {
      era = "18.03";
      path = ./.;
      system = localSystem.system;
      inherit config overlays;
    };
in
topLevel (
  builtins.removeAttrs args [
    "system"
    "platform"
  ]
  // {
    inherit config overlays crossSystem;
    localSystem = {
      inherit system;
    }
    // localSystem;
  }
)
