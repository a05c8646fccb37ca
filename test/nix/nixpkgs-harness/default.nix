# An offline stand-in for nixpkgs (release-18.03 signatures), importable like nixpkgs:
#   import ./test/nix/nixpkgs-harness { }
# Every builder takes exactly nixpkgs' argument names (no `...` where nixpkgs has none), so a
# misspelt or unsupported argument fails evaluation as it would with the real nixpkgs.
# Builders run with the host's /bin tools (the Nix sandbox is off on the test machines).
# The network is out of reach, so fetchers build a stand-in tree that records what would be
# fetched (after checking the pin is well formed); everything downstream builds for real.
{
  system ? builtins.currentSystem,
  config ? { },
  overlays ? [ ],
  crossSystem ? null,
}:

assert overlays == [ ] && crossSystem == null;

let
  lib = import ./lib.nix;

  hostPath = "/usr/local/bin:/usr/bin:/bin";

  # A derivation whose build is `script`, run by the host's bash. The script ends with the `:`
  # builtin so bash never replaces itself with its last command: a builder process that execs
  # into another program is killed by the Nix of Debian's nix-bin package.
  runBash =
    name: env: script:
    derivation (
      {
        inherit name system;
        builder = "/bin/bash";
        args = [
          "-euc"
          "${script}\n:"
        ];
        PATH = hostPath;
      }
      // env
    );

  checkSha256 =
    what: hash:
    if builtins.match "[0-9a-df-np-sv-z]{52}|[0-9a-f]{64}" hash != null then
      hash
    else
      throw "${what}: sha256 must be a base-32 (52 characters) or hex (64) SHA-256, got '${hash}'";

  # A stand-in for fetched content: a tree with a file describing the pin.
  fetchedStandIn =
    name: description:
    runBash name { inherit description; } ''
      mkdir -p "$out"
      printf '%s\n' "$description" > "$out/.harness-fetched"
    '';

  bash = runBash "bash-4.4-p19" { } ''
    mkdir -p "$out/bin"
    ln -s /bin/bash "$out/bin/bash"
    ln -s /bin/bash "$out/bin/sh"
  '';

  stdenv = {
    inherit lib system;
    shell = "${bash}/bin/bash";
    # mkDerivation keeps `meta` and `passthru` out of the derivation, like nixpkgs.
    mkDerivation =
      {
        name,
        meta ? { },
        passthru ? { },
        buildCommand,
        ...
      }@args:
      runBash name (builtins.removeAttrs args [
        "meta"
        "passthru"
        "name"
      ]) ''eval "$buildCommand"''
      // { inherit meta; }
      // passthru;
  };

  writeTextFile =
    {
      name,
      text,
      executable ? false,
      destination ? "",
      checkPhase ? "",
    }:
    runBash name
      {
        inherit text executable destination;
        passAsFile = [ "text" ];
      }
      ''
        target="$out$destination"
        mkdir -p "$(dirname "$target")"
        cp "$textPath" "$target"
        if [ -n "$executable" ]; then chmod +x "$target"; fi
        ${checkPhase}
      '';

  writeText = name: text: writeTextFile { inherit name text; };
  writeScript =
    name: text:
    writeTextFile {
      inherit name text;
      executable = true;
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
      text = "#!${stdenv.shell}\n" + text;
      checkPhase = "${stdenv.shell} -n $out/bin/${name}";
    };

  runCommand =
    name: env: buildCommand:
    runBash name (env // { inherit buildCommand; }) ''eval "$buildCommand"'';

  # fetchurl's formals, which fetchFromGitHub forwards its extra arguments to.
  fetchurl =
    {
      url ? "",
      urls ? [ ],
      curlOpts ? "",
      name ? "",
      outputHash ? "",
      outputHashAlgo ? "",
      md5 ? "",
      sha1 ? "",
      sha256 ? "",
      sha512 ? "",
      recursiveHash ? false,
      netrcPhase ? null,
      netrcImpureEnvVars ? [ ],
      postFetch ? "",
      downloadToTemp ? false,
      executable ? false,
      showURLs ? false,
      meta ? { },
    }:
    let
      allUrls = if url != "" then [ url ] else urls;
    in
    assert (url != "") != (urls != [ ]);
    assert md5 == "" || throw "fetchurl does not support md5 anymore, please use sha256 or sha512";
    fetchedStandIn (if name != "" then name else baseNameOf (builtins.head allUrls)) (
      "fetchurl ${builtins.concatStringsSep " " allUrls} sha256:${checkSha256 "fetchurl" sha256}"
    );

  fetchFromGitHub =
    {
      owner,
      repo,
      rev,
      name ? "source",
      fetchSubmodules ? false,
      sha256,
      private ? false,
      githubBase ? "github.com",
      varPrefix ? null,
    }:
    fetchedStandIn name "github:${owner}/${repo}/${rev} sha256:${checkSha256 "fetchFromGitHub" sha256}"
    // {
      inherit rev;
      meta.homepage = "https://${githubBase}/${owner}/${repo}/";
    };

  # buildGoPackage, outputs `bin` and `out` as in nixpkgs. No Go toolchain or dependency sources
  # are available offline, so `bin/<last component of goPackagePath>` is a stand-in program.
  buildGoPackage =
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
      program = baseNameOf goPackagePath;
    in
    stdenv.mkDerivation (
      builtins.removeAttrs args [
        "goDeps"
        "goPackageAliases"
        "extraSrcs"
        "extraSrcPaths"
      ]
      // {
        outputs = [
          "bin"
          "out"
        ];
        buildCommand = ''
          test -e "$src/.harness-fetched"
          mkdir -p "$bin/bin" "$out/share"
          printf '#!/bin/sh\necho "%s (harness stand-in for %s)"\n' "${program}" "${goPackagePath}" > "$bin/bin/${program}"
          chmod +x "$bin/bin/${program}"
          printf '%s\n' "${goPackagePath}" > "$out/share/go-package-path"
        '';
      }
    );

  dockerTools = {
    # dockerTools.buildImage of 18.03: the archive really is built, with the contents copied
    # into one layer and `extraCommands` run in it; `runAsRoot` would need a VM.
    buildImage =
      {
        name,
        tag ? "latest",
        fromImage ? null,
        fromImageName ? null,
        fromImageTag ? null,
        contents ? null,
        config ? null,
        extraCommands ? "",
        uid ? 0,
        gid ? 0,
        runAsRoot ? null,
        diskSize ? 1024,
        created ? "1970-01-01T00:00:01Z",
      }:
      let
        baseName = baseNameOf name;
        contentsList = if contents == null then [ ] else if builtins.isList contents then contents else [ contents ];
        imageConfig = builtins.toJSON {
          inherit created;
          architecture = "amd64";
          os = "linux";
          config = config;
        };
        result = runBash "docker-image-${baseName}.tar.gz" {
          inherit extraCommands imageConfig;
          contents = contentsList;
          parent = if fromImage == null then "" else fromImage;
          imageName = lib.toLower name;
          imageTag = lib.toLower tag;
          passAsFile = [ "extraCommands" "imageConfig" ];
        } ''
          mkdir -p image/layer
          for item in $contents; do
            cp -drf --no-preserve=ownership "$item"/. image/layer/
          done
          chmod -R u+w image/layer
          (cd image/layer && source "$extraCommandsPath")
          cp "$imageConfigPath" image/config.json
          printf '%s:%s\n' "$imageName" "$imageTag" > image/repositories
          if [ -n "$parent" ]; then printf '%s\n' "$parent" > image/parent; fi
          tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner -C image -cf - . | gzip -n > "$out"
        '';
      in
      assert runAsRoot == null || throw "dockerTools.buildImage: runAsRoot needs a VM, which the harness cannot start";
      result // {
        imageName = lib.toLower name;
        imageTag = lib.toLower tag;
        buildArgs = { inherit name tag fromImage contents config extraCommands; };
      };

    # dockerTools.pullImage of 18.03 (by tag): the result carries `imageId`, not imageName/imageTag.
    pullImage =
      {
        imageName,
        imageTag ? "latest",
        imageId ? "${imageName}:${imageTag}",
        sha256,
        name ? builtins.replaceStrings [ "/" ":" ] [ "-" "-" ] "docker-image-${imageName}-${imageTag}.tar",
      }:
      fetchedStandIn name "docker pull ${imageId} sha256:${checkSha256 "pullImage" sha256}"
      // { inherit imageId; };
  };

  pkgs = {
    inherit
      bash
      buildGoPackage
      config
      dockerTools
      fetchFromGitHub
      fetchurl
      lib
      pkgs
      runCommand
      stdenv
      system
      writeScript
      writeScriptBin
      writeShellScriptBin
      writeText
      writeTextFile
      ;
  };
in
pkgs
