# Ruby applications: nixpkgs bundlerEnv over a Gemfile, its lock and a bundix gemset, all
# written by the generator.
{ pkgs }:

let
  inherit (pkgs) lib;

  # nixpkgs' default settings of each gem with `extra` (plain attributes per gem) on top; build
  # inputs of both are kept.
  withDefaults =
    extra:
    let
      defaults = pkgs.defaultGemConfig;
    in
    defaults
    // lib.mapAttrs (
      gem: ours: attrs:
      let
        base = if defaults ? ${gem} then defaults.${gem} attrs else { };
      in
      base
      // ours
      // lib.optionalAttrs (base ? buildInputs && ours ? buildInputs) {
        buildInputs = base.buildInputs ++ ours.buildInputs;
      }
    ) extra;
in
{
  # The environment of the gem `pname` (named `<pname>-<its version>`), with the executables of
  # that gem under bin/; with `exes`, only those executables.
  bundlerEnv =
    {
      pname,
      ruby,
      gemfile,
      lockfile,
      gemset,
      gemConfig ? { },
      exes ? [ ],
      meta ? { },
    }:
    let
      env = pkgs.bundlerEnv {
        inherit
          pname
          ruby
          gemset
          meta
          ;
        gemfile = pkgs.writeText "Gemfile" gemfile;
        lockfile = pkgs.writeText "Gemfile.lock" lockfile;
        gemConfig = withDefaults gemConfig;
      };
    in
    if exes == [ ] then
      env
    else
      pkgs.runCommand env.name
        {
          inherit meta;
          passthru = {
            inherit env;
          };
        }
        (
          ''
            mkdir -p "$out/bin"
          ''
          + lib.concatMapStrings (exe: ''
            ln -s ${env}/bin/${exe} "$out/bin/${exe}"
          '') exes
        );
}
