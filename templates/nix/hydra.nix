# What jobset.nix needs besides the package set: Hydra's view of a job tree, and the commit id.
{ pkgs }:

let
  inherit (pkgs) lib;
in
rec {
  # Hydra turns every derivation it reaches into a job, walks into attribute sets, skips null,
  # and reports anything else (a function, a list, a string) as an evaluation error. Sets that
  # come from elsewhere (nixpkgs-contrail) hold such values: keep derivations, walk sets, and
  # turn the rest into null. Lazy, so one failing attribute stays one failing job.
  hydraJobs =
    value:
    if lib.isDerivation value then
      value
    # A functor (a set with __functor, as callPackage makes of a function) is a function.
    else if builtins.isAttrs value && !(value ? __functor) then
      lib.mapAttrs (_: hydraJobs) (builtins.removeAttrs value [ "recurseForDerivations" ])
    else
      null;

  # The commit of the checkout `cloudwatt` (a Hydra git input with keepDotGit), read at
  # evaluation time from a small build that runs git. Only the .git directory is copied.
  commitIdOf =
    cloudwatt:
    let
      revision =
        pkgs.runCommand "cloudwatt-commit-id"
          {
            nativeBuildInputs = [ pkgs.git ];
          }
          ''
            # The copy belongs to another user than the builder: tell git that is fine.
            HOME=$PWD git -c safe.directory='*' --git-dir=${cloudwatt + "/.git"} rev-parse HEAD > "$out"
          '';
    in
    lib.removeSuffix "\n" (builtins.readFile revision);
}
