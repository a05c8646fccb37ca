# Go, Python and Ruby builders with each era's arguments. No toolchain or dependency sources are
# available offline, so their outputs are stand-ins: programs that print what they stand for.
{
  era,
  lib,
  stdenv,
  hostPackage,
  runCommand,
}:

let
  current = era == "current";

  # A callPackage'd builder: a functor, carrying `__functionArgs` only in current nixpkgs.
  callPackaged = f: lib.makeOverridable (_: f) { };

  # bin/<program> for each program, printing what it stands for.
  # A program the harness implements itself (./programs/<program>.py, run with the host's
  # python3) does its job; the others only print what they stand for.
  standInPrograms = what: programs: ''
    mkdir -p "$out/bin"
    for program in ${lib.escapeShellArgs programs}; do
      implementation=${./programs}/$program.py
      if [ -f "$implementation" ] && python=$(command -v python3); then
        { echo "#!$python"; cat "$implementation"; } > "$out/bin/$program"
      else
        printf '#!/bin/sh\necho "%s (harness stand-in for %s)"\n' "$program" ${lib.escapeShellArg what} > "$out/bin/$program"
      fi
      chmod +x "$out/bin/$program"
    done
  '';

  go = hostPackage {
    name = if current then "go-1.24.5" else "go-1.10";
    programs = [
      "go"
      "gofmt"
    ];
    passthru = {
      GOOS = "linux";
      GOARCH = "amd64";
    };
  };

  python27 = hostPackage {
    name = "python-2.7.14";
    programs = [ "python2" ];
    links."bin/python" = "/usr/bin/python2";
    passthru = {
      libPrefix = "python2.7";
      pythonVersion = "2.7";
    };
  };
  python3 = hostPackage {
    name = if current then "python3-3.13.5" else "python3-3.6.4";
    programs = [ "python3" ];
    passthru = rec {
      pythonVersion = if current then "3.13" else "3.6";
      libPrefix = "python${pythonVersion}";
    };
  };

  # buildPythonPackage and buildPythonApplication for one interpreter. Applications have no
  # name prefix, libraries carry the interpreter's.
  pythonPackagesFor =
    python:
    let
      v1803 =
        namePrefix:
        callPackaged (
          {
            name,
            buildInputs ? [ ],
            nativeBuildInputs ? [ ],
            propagatedBuildInputs ? [ ],
            checkInputs ? [ ],
            disabled ? false,
            doCheck ? true,
            meta ? { },
            passthru ? { },
            format ? "setuptools",
            makeWrapperArgs ? [ ],
            catchConflicts ? true,
            dontWrapPythonPrograms ? false,
            removeBinByteCode ? true,
            ...
          }@attrs:
          if disabled then
            throw "${name} not supported for interpreter ${python.libPrefix}"
          else
            stdenv.mkDerivation (
              builtins.removeAttrs attrs [
                "disabled"
                "checkInputs"
                "makeWrapperArgs"
              ]
              // {
                name = namePrefix + name;
                passthru = passthru // {
                  inherit python;
                };
              }
            )
        );
      vCurrent =
        namePrefix:
        callPackaged (
          {
            pname ? null,
            version ? null,
            name ? "${pname}-${version}",
            pyproject ? null,
            format ? null,
            build-system ? [ ],
            dependencies ? [ ],
            optional-dependencies ? { },
            nativeCheckInputs ? [ ],
            checkInputs ? [ ],
            doCheck ? true,
            disabled ? false,
            propagatedBuildInputs ? [ ],
            pythonPath ? [ ],
            makeWrapperArgs ? [ ],
            dontWrapPythonPrograms ? false,
            catchConflicts ? true,
            permitUserSite ? false,
            removeBinBytecode ? true,
            strictDeps ? true,
            meta ? { },
            passthru ? { },
            ...
          }@attrs:
          if pyproject == null && format == null then
            throw "${name}: does not configure a `format`. To build with setuptools as before, set `pyproject = true` and `build-system = [ setuptools ]`."
          else if disabled then
            throw "${name} not supported for interpreter ${python.libPrefix}"
          else
            stdenv.mkDerivation (
              builtins.removeAttrs attrs [
                "pname"
                "disabled"
                "build-system"
                "dependencies"
                "optional-dependencies"
                "nativeCheckInputs"
                "checkInputs"
                "makeWrapperArgs"
                "pyproject"
              ]
              // {
                name = namePrefix + name;
                passthru = passthru // {
                  inherit
                    python
                    pyproject
                    build-system
                    dependencies
                    optional-dependencies
                    disabled
                    ;
                };
              }
            )
        );
      builder = if current then vCurrent else v1803;
    in
    {
      inherit python;
      buildPythonPackage = builder "${python.libPrefix}-";
      buildPythonApplication = builder "";
      # The host's yamllint where it has one; otherwise a syntax check with the host's Python and
      # PyYAML (no style rules), which fails on text that does not parse as YAML.
      yamllint =
        runCommand "${python.libPrefix}-yamllint-${if current then "1.37.1" else "1.11.1"}" { }
          ''
            mkdir -p "$out/bin"
            if found=$(command -v yamllint); then
              ln -s "$found" "$out/bin/yamllint"
              exit 0
            fi
            for interpreter in $(type -ap python3) /usr/bin/python3; do
              if "$interpreter" -c 'import yaml' 2>/dev/null; then
                cat > "$out/bin/yamllint" <<EOF
            #!$interpreter
            import sys, yaml
            failed = False
            for path in sys.argv[1:]:
                try:
                    with open(path) as f:
                        list(yaml.safe_load_all(f))
                except yaml.YAMLError as e:
                    print(f"{path}: {e}", file=sys.stderr)
                    failed = True
            sys.exit(1 if failed else 0)
            EOF
                chmod +x "$out/bin/yamllint"
                exit 0
              fi
            done
            printf '#!/bin/sh\necho "yamllint: not installed on this machine (harness stand-in)" >&2\nexit 127\n' > "$out/bin/yamllint"
            chmod +x "$out/bin/yamllint"
          '';
    };

  rubyStandIn = hostPackage {
    name = if current then "ruby-3.4.5" else "ruby-2.4.3";
    programs = [
      "ruby"
      "gem"
      "irb"
    ];
    passthru.version = if current then "3.4.5" else "2.4.3";
  };

  # bundlerEnv: with `pname`, an environment named after the main gem (its version read from
  # the gemset) holding stand-ins for its program; with `name`, the basic environment.
  bundlerEnvWith =
    {
      name,
      pname,
      gemdir,
      gemset,
      gemConfig,
      passthru ? { },
      meta,
    }:
    let
      gemsetValue =
        if gemset != null then
          (if builtins.isAttrs gemset then gemset else import gemset)
        else if gemdir != null then
          import (gemdir + "/gemset.nix")
        else
          throw "bundlerEnv: either `gemdir` or `gemset` must be given";
      drvName = if pname != null then "${pname}-${gemsetValue.${pname}.version}" else name;
    in
    assert lib.assertMsg (
      name != null || pname != null
    ) "bundlerEnv: either `name` or `pname` must be set";
    runCommand drvName
      {
        gems = lib.concatStringsSep " " (builtins.attrNames gemsetValue);
        # Each gem is built with its gemConfig entry, as nixpkgs' buildRubyGem does: its inputs
        # are inputs of the environment (a missing or refused one stops it).
        gemInputs = builtins.concatMap (
          gem:
          let
            config = gemConfig.${gem} or null;
          in
          if config == null then [ ] else (config gemsetValue.${gem}).buildInputs or [ ]
        ) (builtins.attrNames gemsetValue);
        inherit meta;
        passthru = passthru // {
          ruby = rubyStandIn;
          gems = gemsetValue;
        };
      }
      (
        ''
          mkdir -p "$out/lib/ruby/gems"
          for gem in $gems; do echo "$gem" >> "$out/lib/ruby/gems/harness-gems"; done
        ''
        + lib.optionalString (pname != null) (standInPrograms drvName [ pname ])
      );

  # buildGoModule's own arguments (current nixpkgs); the rest goes to stdenv.mkDerivation.
  buildGoModuleFormals =
    {
      GOFLAGS ? [ ],
      allowGoReference ? false,
      buildTestBinaries ? false,
      deleteVendor ? false,
      enableParallelBuilding ? true,
      goSum ? null,
      ldflags ? [ ],
      meta ? { },
      modRoot ? "./",
      nativeBuildInputs ? [ ],
      overrideModAttrs ? (final: prev: { }),
      passthru ? { },
      proxyVendor ? false,
      vendorHash ? throw (
        if args ? vendorSha256 then
          "buildGoModule: Expect vendorHash instead of vendorSha256"
        else
          "buildGoModule: vendorHash is missing"
      ),
      ...
    }@args:
    assert lib.assertMsg (
      !(args ? vendorSha256)
    ) "buildGoModule: Expect vendorHash instead of vendorSha256";
    let
      name = args.name or "${args.pname}-${args.version}";
      pname = args.pname or (builtins.parseDrvName name).name;
      programs =
        let
          named = builtins.filter (p: p != "." && p != "./") (map baseNameOf (args.subPackages or [ ]));
        in
        if named == [ ] then [ pname ] else named;
      goModules =
        if vendorHash == null then
          ""
        else
          stdenv.mkDerivation {
            name = "${name}-go-modules";
            outputHashMode = "recursive";
            outputHash =
              if vendorHash == "" then "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" else vendorHash;
            buildCommand = ''
              echo "${name}-go-modules: vendoring Go modules needs the network" >&2
              exit 1
            '';
          };
    in
    stdenv.mkDerivation (
      builtins.removeAttrs args [
        "vendorHash"
        "overrideModAttrs"
        "ldflags"
        "GOFLAGS"
        "subPackages"
        "excludedPackages"
      ]
      // {
        inherit name;
        # Forces `vendorHash`, as the vendored modules would.
        harnessVendorHash = if vendorHash == null then "" else vendorHash;
        passthru = passthru // {
          inherit go goModules overrideModAttrs;
        };
        # As stdenv's multiple-outputs fixup would: bin/ in the `bin` output when there is one.
        buildCommand =
          if builtins.elem "bin" (args.outputs or [ ]) then
            ''
              mkdir -p "$out"
              out=$bin
              ${standInPrograms name programs}
            ''
          else
            standInPrograms name programs;
      }
    );
  # The interpreter with its own package set (`.pkgs`), as python27Full gives it.
  python27Full = python27 // {
    pkgs = pythonPackagesFor python27Full;
  };
in
{
  inherit go python3 python27Full;
  ruby = rubyStandIn;

  bundlerEnv =
    if current then
      callPackaged (
        {
          name ? null,
          pname ? null,
          gemdir ? null,
          gemfile ? null,
          lockfile ? null,
          gemset ? null,
          groups ? [ "default" ],
          ruby ? rubyStandIn,
          copyGemFiles ? false,
          gemConfig ? { },
          postBuild ? null,
          document ? [ ],
          meta ? { },
          ignoreCollisions ? false,
          passthru ? { },
          ...
        }:
        bundlerEnvWith {
          inherit
            name
            pname
            gemdir
            gemset
            gemConfig
            meta
            passthru
            ;
        }
      )
    else
      callPackaged (
        {
          name ? null,
          pname ? null,
          gemdir ? null,
          gemfile ? null,
          lockfile ? null,
          gemset ? null,
          groups ? [ "default" ],
          ruby ? rubyStandIn,
          gemConfig ? { },
          postBuild ? null,
          document ? [ ],
          meta ? { },
          ignoreCollisions ? false,
          ...
        }:
        bundlerEnvWith {
          inherit
            name
            pname
            gemdir
            gemset
            gemConfig
            meta
            ;
        }
      );
}
// (
  if current then
    rec {
      python3Packages = pythonPackagesFor python3;
      python313Packages = python3Packages;

      buildGoPackage = throw "`buildGoPackage` has been deprecated and removed, see the Go section in the nixpkgs manual for details";

      # An extendMkDerivation-style functor. Output `out` with bin/<program>; the vendored
      # dependencies are a fixed-output derivation (`goModules`) that cannot build offline.
      buildGoModule = lib.setFunctionArgs buildGoModuleFormals (lib.functionArgs buildGoModuleFormals);
    }
  else
    rec {
      inherit python27;
      python = python27;
      pythonPackages = pythonPackagesFor python27;
      python27Packages = pythonPackages;
      python3Packages = pythonPackagesFor python3;
      python36Packages = python3Packages;

      # Outputs `bin` and `out` as in nixpkgs; bin/<last component of goPackagePath>.
      buildGoPackage = callPackaged (
        {
          name,
          goPackagePath,
          goDeps ? null,
          buildInputs ? [ ],
          nativeBuildInputs ? [ ],
          passthru ? { },
          preFixup ? "",
          enableParallelBuilding ? true,
          disabled ? false,
          goPackageAliases ? [ ],
          extraSrcs ? [ ],
          extraSrcPaths ? [ ],
          dontRenameImports ? false,
          allowGoReference ? false,
          meta ? { },
          ...
        }@args:
        let
          named = map baseNameOf (args.subPackages or [ ]);
          programs = if named == [ ] then [ (baseNameOf goPackagePath) ] else named;
        in
        if disabled then
          throw "${name} not supported for go ${go.name}"
        else
          stdenv.mkDerivation (
            builtins.removeAttrs args [
              "goDeps"
              "goPackageAliases"
              "extraSrcs"
              "extraSrcPaths"
              "disabled"
            ]
            // {
              outputs =
                args.outputs or [
                  "bin"
                  "out"
                ];
              passthru =
                passthru
                // {
                  inherit go;
                }
                // lib.optionalAttrs (goPackageAliases != [ ]) { inherit goPackageAliases; };
              buildCommand = ''
                out_=$out
                out=$bin
                ${standInPrograms goPackagePath programs}
                out=$out_
                for output in $outputs; do mkdir -p "''${!output}"; done
                mkdir -p "$out/share"
                printf '%s\n' "${goPackagePath}" > "$out/share/go-package-path"
              '';
            }
          )
      );
    }
)
