# Developer tools: shell scripts with their programs on PATH.
{ pkgs }:

let
  inherit (pkgs) lib;
in
{
  # bin/<name>: `text` run by bash, with the bin/ directories of `runtimeInputs` first on PATH
  # (PATH left alone without runtimeInputs: an empty entry would add the working directory)
  # and `set -e`. `files` ({ "relative/path" = text; }) are shipped beside the script in one
  # directory, which the text reaches as `files` (see the generated call).
  shellTool =
    {
      name,
      text,
      runtimeInputs ? [ ],
    }:
    pkgs.writeTextFile {
      inherit name;
      destination = "/bin/${name}";
      executable = true;
      # Without runtime inputs PATH is left as it is (an empty entry would mean the current
      # directory).
      text = ''
        #!${pkgs.bash}/bin/bash
        set -e
      ''
      + lib.optionalString (runtimeInputs != [ ]) ''
        export PATH=${lib.makeBinPath runtimeInputs}''${PATH:+:$PATH}
      ''
      + text;
      checkPhase = ''
        ${pkgs.bash}/bin/bash -n "$out/bin/${name}"
      '';
    };

  # A directory holding `files` ({ "relative/path" = text; }).
  toolFiles =
    name: files:
    pkgs.runCommand "${name}-files" { } (
      ''
        mkdir -p "$out"
      ''
      + lib.concatStrings (
        lib.mapAttrsToList (path: text: ''
          mkdir -p "$(dirname "$out/${path}")"
          cp ${pkgs.writeText (baseNameOf path) text} "$out/${path}"
        '') files
      )
    );
}
