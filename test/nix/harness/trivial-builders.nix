# nixpkgs' trivial builders (runCommand, writeTextFile and the write* family, symlinkJoin,
# buildEnv, the closure writers), with each era's argument names. They really build.
{
  era,
  lib,
  stdenv,
  stdenvNoCC,
  bash,
}:

let
  current = era == "current";

  # lndir: mirror the tree `$1` into `$2` with real directories and symlinked files; the first
  # path providing a file wins.
  lndir = ''
    lndir() {
      local rel
      mkdir -p "$2"
      while IFS= read -r rel; do
        rel=''${rel#./}
        if [ -d "$1/$rel" ] && [ ! -L "$1/$rel" ]; then
          mkdir -p "$2/$rel"
        elif [ ! -e "$2/$rel" ] && [ ! -L "$2/$rel" ]; then
          ln -s "$1/$rel" "$2/$rel"
        fi
      done < <(cd "$1" && find . -mindepth 1 | sort)
    }
  '';

  runtimeShell = "${bash}/bin/bash";

  # The store paths of a closure, read from an exportReferencesGraph file.
  readGraph = ''
    readGraph() {
      local path dummy nrRefs ref i
      while read -r path; do
        echo "$path"
        read -r dummy
        read -r nrRefs
        for ((i = 0; i < nrRefs; i++)); do read -r ref; done
      done < "$1"
    }
  '';

  defaultStdenv = stdenv;

  runCommandWith =
    {
      stdenv ? defaultStdenv,
      runLocal ? false,
      derivationArgs ? { },
      name,
    }:
    buildCommand:
    stdenv.mkDerivation (
      {
        enableParallelBuilding = true;
        inherit buildCommand name;
        passAsFile = [ "buildCommand" ] ++ (derivationArgs.passAsFile or [ ]);
      }
      // lib.optionalAttrs runLocal {
        preferLocalBuild = true;
        allowSubstitutes = false;
      }
      // builtins.removeAttrs derivationArgs [ "passAsFile" ]
    );

  # 18.03: `env` wins on every key, `passAsFile` included.
  runCommand' =
    stdenv: name: env: buildCommand:
    stdenv.mkDerivation (
      {
        inherit name buildCommand;
        passAsFile = [ "buildCommand" ];
      }
      // env
    );

  eraBuilders =
    if current then
      rec {
        inherit runCommandWith;
        runCommand =
          name: env:
          runCommandWith {
            stdenv = stdenvNoCC;
            inherit name;
            derivationArgs = env;
          };
        runCommandLocal =
          name: env:
          runCommandWith {
            stdenv = stdenvNoCC;
            runLocal = true;
            inherit name;
            derivationArgs = env;
          };
        runCommandCC =
          name: env:
          runCommandWith {
            inherit stdenv name;
            derivationArgs = env;
          };

        writeTextFile =
          {
            name,
            text,
            executable ? false,
            destination ? "",
            checkPhase ? "",
            meta ? { },
            passthru ? { },
            allowSubstitutes ? false,
            preferLocalBuild ? true,
            derivationArgs ? { },
          }:
          assert lib.assertMsg (destination != "" -> (lib.hasPrefix "/" destination && destination != "/"))
            "destination must be an absolute path, relative to the derivation's out path, got '${destination}' instead.";
          let
            matches = builtins.match "/bin/([^/]+)" destination;
          in
          runCommand name
            (
              {
                inherit
                  text
                  executable
                  checkPhase
                  allowSubstitutes
                  preferLocalBuild
                  ;
                passAsFile = [ "text" ] ++ derivationArgs.passAsFile or [ ];
                meta =
                  lib.optionalAttrs (executable && matches != null) { mainProgram = lib.head matches; }
                  // meta
                  // derivationArgs.meta or { };
                passthru = passthru // derivationArgs.passthru or { };
              }
              // builtins.removeAttrs derivationArgs [
                "passAsFile"
                "meta"
                "passthru"
              ]
            )
            ''
              target=$out${lib.escapeShellArg destination}
              mkdir -p "$(dirname "$target")"
              if [ -e "$textPath" ]; then
                mv "$textPath" "$target"
              else
                echo -n "$text" > "$target"
              fi
              if [ -n "$executable" ]; then
                chmod +x "$target"
              fi
              eval "$checkPhase"
            '';

        writeTextDir =
          path: text:
          writeTextFile {
            inherit text;
            name = baseNameOf path;
            destination = "/${path}";
          };

        writeScriptBin =
          name: text:
          writeTextFile {
            inherit name text;
            executable = true;
            destination = "/bin/${name}";
          };

        writeShellScript =
          name: text:
          writeTextFile {
            inherit name;
            executable = true;
            text = ''
              #!${runtimeShell}
              ${text}
            '';
            checkPhase = ''
              ${stdenv.shellDryRun} "$target"
            '';
          };

        writeShellScriptBin =
          name: text:
          writeTextFile {
            inherit name;
            executable = true;
            destination = "/bin/${name}";
            text = ''
              #!${runtimeShell}
              ${text}
            '';
            checkPhase = ''
              ${stdenv.shellDryRun} "$target"
            '';
            meta.mainProgram = name;
          };

        writeShellApplication =
          {
            name,
            text,
            runtimeInputs ? [ ],
            runtimeEnv ? null,
            meta ? { },
            passthru ? { },
            checkPhase ? null,
            excludeShellChecks ? [ ],
            extraShellCheckFlags ? [ ],
            bashOptions ? [
              "errexit"
              "nounset"
              "pipefail"
            ],
            derivationArgs ? { },
            inheritPath ? true,
          }:
          writeTextFile {
            inherit
              name
              meta
              passthru
              derivationArgs
              ;
            executable = true;
            destination = "/bin/${name}";
            allowSubstitutes = true;
            preferLocalBuild = false;
            text = ''
              #!${runtimeShell}
              ${lib.concatMapStringsSep "\n" (option: "set -o ${option}") bashOptions}
            ''
            + lib.optionalString (runtimeEnv != null) (
              lib.concatStrings (
                lib.mapAttrsToList (name: value: ''
                  ${name}=${lib.escapeShellArg value}
                  export ${name}
                '') runtimeEnv
              )
            )
            + lib.optionalString (runtimeInputs != [ ]) ''
              export PATH="${lib.makeBinPath runtimeInputs}${lib.optionalString inheritPath ":$PATH"}"
            ''
            + ''
              ${text}
            '';
            # ShellCheck is not available offline: the default check is the dry run only.
            checkPhase =
              if checkPhase == null then
                ''
                  ${stdenv.shellDryRun} "$target"
                ''
              else
                checkPhase;
          };

        writeClosure =
          paths:
          runCommand "runtime-deps"
            {
              exportReferencesGraph = lib.concatLists (
                lib.imap0 (i: path: [
                  "graph-${toString i}"
                  path
                ]) paths
              );
            }
            ''
              ${readGraph}
              for graph in graph-*; do readGraph "$graph"; done | sort -u > "$out"
            '';

        writeDirectReferencesToFile =
          path:
          runCommand "runtime-references"
            {
              exportReferencesGraph = [
                "graph"
                path
              ];
              inherit path;
            }
            ''
              touch "$out"
              while read -r p; do
                read -r dummy
                read -r nrRefs
                for ((i = 0; i < nrRefs; i++)); do
                  read -r ref
                  if [ "$p" = "$path" ]; then echo "$ref" >> refs; fi
                done
              done < graph
              if [ -e refs ]; then sort -u refs > "$out"; fi
            '';

        writeReferencesToFile = throw "writeReferencesToFile has been removed. Use writeClosure instead.";

        symlinkJoin =
          args_@{
            name ?
              assert lib.assertMsg (
                args_ ? pname && args_ ? version
              ) "symlinkJoin requires either a `name` OR `pname` and `version`";
              "${args_.pname}-${args_.version}",
            paths,
            stripPrefix ? "",
            preferLocalBuild ? true,
            allowSubstitutes ? false,
            postBuild ? "",
            failOnMissing ? stripPrefix == "",
            ...
          }:
          let
            args =
              builtins.removeAttrs args_ [
                "name"
                "postBuild"
                "stripPrefix"
                "paths"
                "failOnMissing"
              ]
              // {
                inherit preferLocalBuild allowSubstitutes;
                paths = map (path: "${path}${stripPrefix}") (builtins.filter (x: x != null) (lib.flatten paths));
                passAsFile = [ "paths" ];
              };
          in
          runCommand name args ''
            ${lndir}
            mkdir -p "$out"
            for i in $(cat "$pathsPath"); do
              if [ -d "$i" ]; then
                lndir "$i" "$out"
              ${lib.optionalString failOnMissing ''
                else
                  echo "symlinkJoin: error: $i is not a directory" >&2
                  exit 1
              ''}
              fi
            done
            ${postBuild}
          '';
      }
    else
      rec {
        runCommandNoCC = runCommand' stdenvNoCC;
        runCommand = runCommandNoCC;
        runCommandCC = runCommand' stdenv;

        writeTextFile =
          {
            name,
            text,
            executable ? false,
            destination ? "",
            checkPhase ? "",
          }:
          runCommand name
            {
              inherit text executable;
              passAsFile = [ "text" ];
              preferLocalBuild = true;
              allowSubstitutes = false;
            }
            ''
              n=$out${destination}
              mkdir -p "$(dirname "$n")"
              if [ -e "$textPath" ]; then
                mv "$textPath" "$n"
              else
                echo -n "$text" > "$n"
              fi
              ${checkPhase}
              (test -n "$executable" && chmod +x "$n") || true
            '';

        # The derivation name is the whole path, as in 18.03.
        writeTextDir =
          path: text:
          writeTextFile {
            inherit text;
            name = path;
            destination = "/${path}";
          };

        writeScriptBin =
          name: text:
          writeTextFile {
            inherit name text;
            executable = true;
            destination = "/bin/${name}";
          };

        writeShellScriptBin =
          name: text:
          writeTextFile {
            inherit name;
            executable = true;
            destination = "/bin/${name}";
            text = ''
              #!${stdenv.shell}
              ${text}
            '';
            checkPhase = ''
              ${stdenv.shell} -n $out/bin/${name}
            '';
          };

        writeReferencesToFile =
          path:
          runCommand "runtime-deps"
            {
              exportReferencesGraph = [
                "graph"
                path
              ];
            }
            ''
              ${readGraph}
              touch "$out"
              readGraph graph >> "$out"
            '';

        symlinkJoin =
          args_@{
            name,
            paths,
            preferLocalBuild ? true,
            allowSubstitutes ? false,
            postBuild ? "",
            ...
          }:
          let
            args =
              builtins.removeAttrs args_ [
                "name"
                "postBuild"
              ]
              // {
                inherit preferLocalBuild allowSubstitutes;
              };
          in
          runCommand name args ''
            ${lndir}
            mkdir -p "$out"
            for i in $paths; do
              lndir "$i" "$out"
            done
            ${postBuild}
          '';
      };

  inherit (eraBuilders) writeTextFile runCommand;

  # buildEnv, reduced to linking `pathsToLink` of every path (and running postBuild).
  buildEnvWith =
    {
      name,
      paths,
      pathsToLink,
      extraPrefix,
      postBuild,
      buildInputs,
      passthru,
      meta,
      extraArgs ? { },
    }:
    runCommand name
      (
        {
          inherit
            paths
            pathsToLink
            extraPrefix
            buildInputs
            passthru
            meta
            ;
          preferLocalBuild = true;
          allowSubstitutes = false;
        }
        // extraArgs
      )
      ''
        ${lndir}
        mkdir -p "$out$extraPrefix"
        for i in $paths; do
          for sub in $pathsToLink; do
            if [ -d "$i$sub" ]; then lndir "$i$sub" "$out$extraPrefix$sub"; fi
          done
        done
        ${postBuild}
      '';
in
eraBuilders
// {
  writeText = name: text: writeTextFile { inherit name text; };

  writeScript =
    name: text:
    writeTextFile {
      inherit name text;
      executable = true;
    };

  buildEnv =
    if current then
      lib.makeOverridable (
        {
          name ? "${args.pname}-${args.version}",
          paths,
          ignoreCollisions ? false,
          checkCollisionContents ? true,
          pathsToLink ? [ "/" ],
          extraOutputsToInstall ? [ ],
          extraPrefix ? "",
          postBuild ? "",
          nativeBuildInputs ? [ ],
          buildInputs ? [ ],
          passthru ? { },
          meta ? { },
          manifest ? "",
          includeClosures ? false,
          ignoreSingleFileOutputs ? false,
          pname ? null,
          version ? null,
        }@args:
        buildEnvWith {
          inherit
            name
            paths
            pathsToLink
            extraPrefix
            postBuild
            buildInputs
            passthru
            meta
            ;
          extraArgs = {
            inherit nativeBuildInputs;
          };
        }
      )
    else
      lib.makeOverridable (
        {
          name,
          paths,
          ignoreCollisions ? false,
          checkCollisionContents ? true,
          pathsToLink ? [ "/" ],
          extraOutputsToInstall ? [ ],
          extraPrefix ? "",
          postBuild ? "",
          buildInputs ? [ ],
          passthru ? { },
          meta ? { },
          manifest ? "",
        }:
        buildEnvWith {
          inherit
            name
            paths
            pathsToLink
            extraPrefix
            postBuild
            buildInputs
            passthru
            meta
            ;
        }
      );
}
