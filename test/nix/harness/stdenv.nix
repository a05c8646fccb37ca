# The harness's stdenv: every build is a script run by the host's bash with the host's /bin
# tools on PATH (the Nix sandbox is off on the test machines), plus the bin/ directories of the
# derivation's inputs, whose setup hooks (nix-support/setup-hook) are sourced, as stdenv's
# setup does.
{
  era,
  lib,
  system,
  # nixpkgs' configuration: what the meta check permits.
  config,
}:

let
  current = era == "current";

  hostPath = "/usr/local/bin:/usr/bin:/bin";

  # A derivation whose build is `script`. The script ends with the `:` builtin so bash never
  # replaces itself with its last command: a builder process that execs into another program is
  # killed by the Nix of Debian's nix-bin package.
  runBash =
    name: env: script:
    derivation (
      {
        inherit name system;
        builder = "/bin/bash";
        args = [
          "-euc"
          ''
            for input in ''${nativeBuildInputs:-} ''${buildInputs:-} ''${propagatedBuildInputs:-} ''${propagatedNativeBuildInputs:-}; do
              if [ -d "$input/bin" ]; then PATH="$input/bin:$PATH"; fi
              if [ -f "$input/nix-support/setup-hook" ]; then source "$input/nix-support/setup-hook"; fi
            done
            ${script}
            :''
        ];
        PATH = hostPath;
      }
      // env
    );

  # A package standing in for a nixpkgs package: bin/<program> links to the host's program, or,
  # where the host has none, is a script that fails saying so. `links` ({ "lib/x" = "/host/x"; })
  # adds other host files when they exist.
  hostPackage =
    {
      name,
      programs ? [ ],
      links ? { },
      passthru ? { },
    }:
    runBash name
      {
        programs = lib.concatStringsSep " " programs;
        links = lib.concatStringsSep " " (lib.mapAttrsToList (dest: src: "${dest}=${src}") links);
      }
      ''
        mkdir -p "$out/bin"
        for program in $programs; do
          if found=$(command -v "$program"); then
            ln -s "$found" "$out/bin/$program"
          else
            printf '#!/bin/sh\necho "%s: not installed on this machine (harness stand-in for %s)" >&2\nexit 127\n' \
              "$program" "$name" > "$out/bin/$program"
            chmod +x "$out/bin/$program"
          fi
        done
        for link in $links; do
          if [ -e "''${link#*=}" ]; then
            mkdir -p "$(dirname "$out/''${link%%=*}")"
            ln -s "''${link#*=}" "$out/''${link%%=*}"
          fi
        done
      ''
    // passthru;

  bash =
    hostPackage {
      name = if current then "bash-5.2p37" else "bash-4.4-p19";
      programs = [ "bash" ];
      links."bin/sh" = "/bin/bash";
    }
    // {
      shellPath = "/bin/bash";
    };

  glibc = hostPackage {
    name = if current then "glibc-2.40-66" else "glibc-2.26-131";
    programs = [
      "ldd"
      "getconf"
      "locale"
    ];
    links = {
      "lib/ld-linux-x86-64.so.2" = "/lib64/ld-linux-x86-64.so.2";
      "lib/libc.so.6" = "/lib/x86_64-linux-gnu/libc.so.6";
    };
    # The `static` output: libc.a and the other archives.
    passthru.static = hostPackage {
      name = if current then "glibc-2.40-66-static" else "glibc-2.26-131-static";
    };
  };

  cc =
    hostPackage {
      name = if current then "gcc-wrapper-14.3.0" else "gcc-wrapper-7.3.0";
      programs = [
        "cc"
        "gcc"
        "g++"
        "ld"
      ];
    }
    // {
      libc = glibc;
      isGNU = true;
    };

  # The part of mkDerivation's arguments that does not go into the derivation.
  nonDerivationAttrs = [
    "meta"
    "passthru"
    "pos"
    "builder"
  ]
  ++ lib.optional current "env";

  # stdenv.mkDerivation. With `buildCommand` (or `builder`) the build really runs. Without, the
  # phases (unpack, configure, build, install) are not run: every output becomes a stand-in
  # directory that records the package name and its source.
  mkDerivationWith =
    stdenvAttrs: fnOrAttrs:
    let
      attrs = if current && lib.isFunction fnOrAttrs then lib.fix fnOrAttrs else fnOrAttrs;
      name =
        if current && !(attrs ? name) && attrs ? pname && attrs ? version then
          "${attrs.pname}-${attrs.version}"
        else
          attrs.name or "";
      drv =
        runBash name
          (
            builtins.removeAttrs attrs nonDerivationAttrs
            // lib.optionalAttrs current (attrs.env or { })
            // lib.optionalAttrs (attrs ? builder) { harnessBuilder = attrs.builder; }
            // {
              __ignoreNulls = true;
              stdenv = stdenvAttrs;
            }
          )
          ''
            if [ -n "''${harnessBuilder:-}" ]; then
              source "$harnessBuilder"
            elif [ -n "''${buildCommandPath:-}" ]; then
              eval "$(< "$buildCommandPath")"
            elif [ -n "''${buildCommand:-}" ]; then
              eval "$buildCommand"
            else
              for output in ''${outputs:-out}; do
                mkdir -p "''${!output}"
                printf '%s (%s output): harness stand-in, the phases of stdenv.mkDerivation were not run\nsrc: %s\n' \
                  "$name" "$output" "''${src:-}" > "''${!output}/.harness-stand-in"
              done
            fi
          '';
      # overrideAttrs takes `prev: { ... }`, or in current nixpkgs also `final: prev: { ... }`.
      overrideAttrs =
        f:
        let
          apply =
            final: prev:
            let
              r = f prev;
            in
            prev // (if current && lib.isFunction r then f final prev else r);
        in
        if current && lib.isFunction fnOrAttrs then
          mkDerivationWith stdenvAttrs (final: apply final (fnOrAttrs final))
        else
          mkDerivationWith stdenvAttrs (apply attrs attrs);
      result =
        drv
        // (attrs.passthru or { })
        // {
          meta = attrs.meta or { };
          inherit overrideAttrs;
        };
      refusal = metaRefusal result;
      refused = throw "Package ‘${name}’ ${refusal}, refusing to evaluate.";
    in
    if refusal == null then
      result
    else
      result
      // {
        drvPath = refused;
        outPath = refused;
      };

  # nixpkgs' meta check (check-meta.nix, in both eras): an unfree licence, or known
  # vulnerabilities, refuse the derivation unless the configuration permits it.
  metaRefusal =
    pkg:
    let
      licenses = lib.toList (pkg.meta.license or [ ]);
      unfree = builtins.any (l: builtins.isAttrs l && (l.free or true) == false) licenses;
      insecure = (pkg.meta.knownVulnerabilities or [ ]) != [ ];
    in
    if
      unfree && !(config.allowUnfree or false) && !((config.allowUnfreePredicate or (p: false)) pkg)
    then
      "has an unfree license (‘${
        (builtins.head (builtins.filter (l: (l.free or true) == false) licenses)).shortName or "unfree"
      }’)"
    else if
      insecure
      && !(builtins.elem pkg.name (config.permittedInsecurePackages or [ ]))
      && !((config.allowInsecurePredicate or (p: false)) pkg)
    then
      "is marked as insecure"
    else
      null;

  makeStdenv =
    {
      name,
      withCC,
    }:
    let
      # A derivation, as in nixpkgs (a build sees it as $stdenv), with the stdenv functions.
      self =
        runBash name { } ''mkdir -p "$out"''
        // {
          inherit system;
          shell = "${bash}/bin/bash";
          mkDerivation = mkDerivationWith self;
          isLinux = true;
          isDarwin = false;
          isx86_64 = true;
          hostPlatform = platform;
          buildPlatform = platform;
          targetPlatform = platform;
        }
        // lib.optionalAttrs withCC { inherit cc; }
        // lib.optionalAttrs (!current) { inherit lib; }
        // lib.optionalAttrs current {
          # The shell syntax check of the trivial builders.
          shellDryRun = "${bash}/bin/bash -n -O extglob";
        };
    in
    self;

  platform = {
    inherit system;
    config = "x86_64-unknown-linux-gnu";
    isLinux = true;
    isDarwin = false;
    isx86_64 = true;
    isx86 = true;
    isAarch64 = false;
    parsed.cpu.name = "x86_64";
  };
in
{
  inherit
    bash
    cc
    glibc
    hostPackage
    hostPath
    runBash
    ;

  stdenv = makeStdenv {
    name = "stdenv-linux";
    withCC = true;
  };
  stdenvNoCC = makeStdenv {
    name = "stdenv-linux";
    withCC = false;
  };
}
