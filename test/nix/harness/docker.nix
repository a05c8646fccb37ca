# dockerTools with each era's arguments. Images really are built, without a VM: one layer with
# the contents (and their closure under nix/store) copied in and `extraCommands` run in it, the
# configuration and the tag written beside it, the whole in a tarball. `runAsRoot` would need a
# VM, so it fails at evaluation. Pulled images are stand-ins, like fetched sources.
{
  era,
  lib,
  runBash,
  writeText,
  fetchers,
}:

let
  current = era == "current";

  # The closure of each store path, listed from an exportReferencesGraph file.
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

  compressors = {
    none = {
      ext = "";
      command = "cat";
    };
    gz = {
      ext = ".gz";
      command = "gzip -n";
    };
    zstd = {
      ext = ".zst";
      command = "zstd -T1 -q";
    };
  };

  # The tarball: ./layer (the root filesystem), ./config.json, ./manifest.json, ./repositories
  # and, with a parent image, ./parent (the parent's store path). An empty `tag` means the hash
  # part of the output path, as current nixpkgs does for `tag = null`.
  imageTarball =
    {
      drvName,
      imageName,
      tag,
      contents,
      fromImage,
      config,
      extraCommands,
      includeNixDB ? false,
      compressor ? "gz",
      created,
      architecture ? "amd64",
    }:
    let
      configFile = writeText "${baseNameOf imageName}-config.json" (
        builtins.toJSON {
          inherit created architecture config;
          os = "linux";
        }
      );
      roots = contents ++ [ configFile ];
    in
    runBash drvName
      {
        inherit extraCommands imageName configFile;
        imageTag = tag;
        contents = contents;
        parent = if fromImage == null then "" else fromImage;
        includeNixDB = if includeNixDB then "1" else "";
        compress = compressors.${compressor}.command;
        exportReferencesGraph = lib.concatLists (
          lib.imap0 (i: path: [
            "closure-${toString i}"
            path
          ]) roots
        );
        passAsFile = [ "extraCommands" ];
      }
      ''
        ${readGraph}
        if [ -z "$imageTag" ]; then imageTag=$(basename "$out" | cut -d- -f1); fi
        mkdir -p image/layer
        for item in $contents; do
          if [ -d "$item" ]; then
            cp -drf --no-preserve=ownership "$item"/. image/layer/
          else
            cp -df --no-preserve=ownership "$item" image/layer/
          fi
          # Store directories are read-only; the next item may add files to the same directory.
          chmod -R u+w image/layer
        done
        for graph in closure-*; do readGraph "$graph"; done | sort -u | while read -r path; do
          mkdir -p "image/layer$(dirname "$path")"
          cp -dR --preserve=mode,timestamps "$path" "image/layer$path"
        done
        if [ -n "$includeNixDB" ]; then
          mkdir -p image/layer/nix/var/nix/db
          for graph in closure-*; do readGraph "$graph"; done | sort -u \
            > image/layer/nix/var/nix/db/harness-registered-paths
        fi
        chmod -R u+w image/layer
        (cd image/layer && source "$extraCommandsPath")
        cp "$configFile" image/config.json
        printf '{"%s":{"%s":"layer"}}\n' "$imageName" "$imageTag" > image/repositories
        printf '[{"Config":"config.json","RepoTags":["%s:%s"],"Layers":["layer"]}]\n' \
          "$imageName" "$imageTag" > image/manifest.json
        if [ -n "$parent" ]; then printf '%s\n' "$parent" > image/parent; fi
        tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner -C image -cf - . | $compress > "$out"
      '';

  noRunAsRoot =
    runAsRoot:
    runAsRoot == null
    || throw "dockerTools.buildImage: runAsRoot needs a VM, which the harness cannot start";

  contentsList = contents: if contents == null then [ ] else lib.toList contents;

  # `tag` as the image carries it: current nixpkgs uses the output hash for `tag = null`.
  hashPart =
    drv: builtins.substring 0 32 (baseNameOf (builtins.unsafeDiscardStringContext drv.outPath));

  shadowSetup = ''
    export PATH=''${PATH:+$PATH:}/bin
    if [ ! -e /etc/passwd ]; then
      echo "root:x:0:0::/root:/bin/sh" > /etc/passwd
    fi
    if [ ! -e /etc/shadow ]; then
      echo "root:!x:::::::" > /etc/shadow
    fi
    if [ ! -e /etc/group ]; then
      echo "root:x:0:" > /etc/group
    fi
  '';

  current' = rec {
    inherit shadowSetup;

    buildImage = lib.makeOverridable (
      args@{
        name,
        tag ? null,
        fromImage ? null,
        fromImageName ? null,
        fromImageTag ? null,
        copyToRoot ? null,
        keepContentsDirlinks ? false,
        config ? null,
        architecture ? "amd64",
        runAsRoot ? null,
        extraCommands ? "",
        uid ? 0,
        gid ? 0,
        diskSize ? 1024,
        buildVMMemorySize ? 512,
        created ? "1970-01-01T00:00:01Z",
        includeNixDB ? false,
        meta ? { },
        compressor ? "gz",
        contents ? null,
      }:
      let
        checked =
          lib.warnIf (contents != null)
            "in docker image ${name}: The contents parameter is deprecated. Change to copyToRoot if the contents are designed to be copied to the root filesystem, such as when you use `buildEnv` or similar between contents and your packages. Use copyToRoot = buildEnv { ... }; or similar if you intend to add packages to /bin."
            lib.throwIf
            (contents != null && copyToRoot != null)
            "in docker image ${name}: You can not specify both contents and copyToRoot.";
        rootContents = if copyToRoot == null then contents else copyToRoot;
        compress =
          compressors.${compressor}
            or (throw "in docker image ${name}: compressor must be one of: [${toString (builtins.attrNames compressors)}]");
        result = imageTarball {
          drvName = "docker-image-${baseNameOf name}.tar${compress.ext}";
          imageName = lib.toLower name;
          tag = if tag == null then "" else lib.toLower tag;
          contents = contentsList rootContents;
          inherit
            fromImage
            config
            extraCommands
            includeNixDB
            compressor
            created
            architecture
            ;
        };
      in
      assert noRunAsRoot runAsRoot;
      checked (
        result
        // {
          inherit meta;
          imageName = lib.toLower name;
          imageTag = if tag != null then tag else hashPart result;
          buildArgs = args;
        }
      )
    );

    buildImageWithNixDb = args: buildImage (args // { includeNixDB = true; });

    streamLayeredImage = lib.makeOverridable (
      {
        name,
        tag ? null,
        fromImage ? null,
        contents ? [ ],
        config ? { },
        architecture ? "amd64",
        created ? "1970-01-01T00:00:01Z",
        mtime ? "1970-01-01T00:00:01Z",
        uid ? 0,
        gid ? 0,
        uname ? "root",
        gname ? "root",
        maxLayers ? 100,
        extraCommands ? "",
        fakeRootCommands ? "",
        enableFakechroot ? false,
        includeStorePaths ? true,
        includeNixDB ? false,
        passthru ? { },
        layeringPipeline ? null,
        debug ? false,
        meta ? { },
      }:
      assert lib.assertMsg (maxLayers > 1)
        "the maxLayers argument of dockerTools.buildLayeredImage function must be greather than 1 (current value: ${toString maxLayers})";
      let
        baseName = baseNameOf name;
        conf = writeText "${baseName}-conf.json" (
          builtins.toJSON {
            inherit
              name
              tag
              config
              created
              ;
          }
        );
        imageTag = if tag == null then hashPart conf else lib.toLower tag;
        tarball = imageTarball {
          drvName = "${baseName}-layers.tar";
          imageName = lib.toLower name;
          tag = imageTag;
          contents = lib.toList contents;
          compressor = "none";
          inherit
            fromImage
            config
            extraCommands
            includeNixDB
            created
            architecture
            ;
        };
      in
      runBash "stream-${baseName}" { inherit tarball; } ''
        printf '#!/bin/sh\nexec cat %s\n' "$tarball" > "$out"
        chmod +x "$out"
      ''
      // passthru
      // {
        inherit conf imageTag meta;
        imageName = lib.toLower name;
        isExe = true;
        harnessTarball = tarball;
      }
    );

    buildLayeredImage = lib.makeOverridable (
      {
        name,
        compressor ? "gz",
        meta ? { },
        ...
      }@args:
      let
        stream = streamLayeredImage (builtins.removeAttrs args [ "compressor" ]);
        compress =
          compressors.${compressor}
            or (throw "in docker image ${name}: compressor must be one of: [${toString (builtins.attrNames compressors)}]");
      in
      runBash "${baseNameOf name}.tar${compress.ext}" {
        inherit (stream) harnessTarball;
        compress = compress.command;
      } ''$compress < "$harnessTarball" > "$out"''
      // {
        inherit (stream) imageName imageTag conf;
        inherit stream meta;
      }
    );

    buildLayeredImageWithNixDb = args: buildLayeredImage (args // { includeNixDB = true; });

    # By digest, written with withNormalizedHash: exactly one of `hash` or `sha256`.
    pullImage = lib.fetchers.withNormalizedHash { } (
      {
        imageName,
        imageDigest,
        outputHash,
        outputHashAlgo,
        arch ? "amd64",
        finalImageName ? imageName,
        finalImageTag ? "latest",
        os ? "linux",
        tlsVerify ? true,
        name ?
          builtins.replaceStrings [ "/" ":" ] [ "-" "-" ]
            "docker-image-${finalImageName}-${finalImageTag}.tar",
      }:
      let
        pin =
          if outputHashAlgo == null then
            "hash:${outputHash}"
          else
            fetchers.checkSha256 "pullImage" outputHash;
      in
      fetchers.fetchedStandIn name "skopeo copy docker://${imageName}@${imageDigest} ${pin}"
      // {
        imageName = finalImageName;
        imageTag = finalImageTag;
        inherit imageDigest;
      }
    );
  };

  v1803 = rec {
    inherit shadowSetup;

    buildImage =
      args@{
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
      assert noRunAsRoot runAsRoot;
      imageTarball {
        drvName = "docker-image-${baseNameOf name}.tar.gz";
        imageName = lib.toLower name;
        tag = lib.toLower tag;
        contents = contentsList contents;
        inherit
          fromImage
          config
          extraCommands
          created
          ;
      }
      // {
        imageName = lib.toLower name;
        imageTag = lib.toLower tag;
        buildArgs = args;
      };

    # The Nix database of the contents' closure is registered in the image (here: listed).
    buildImageWithNixDb =
      args@{
        contents ? null,
        extraCommands ? "",
        ...
      }:
      buildImage (
        args
        // {
          extraCommands = ''
            mkdir -p nix/var/nix/db
            echo "harness: the Nix database of the contents' closure" > nix/var/nix/db/harness-registered-paths
          ''
          + extraCommands;
        }
      );

    # By tag, a callPackage'd function (a functor without __functionArgs); the result carries
    # `imageId` only.
    pullImage = lib.makeOverridable (_: pullByTag) { };
  };

  pullByTag =
    {
      imageName,
      imageTag ? "latest",
      imageId ? "${imageName}:${imageTag}",
      sha256,
      name ? builtins.replaceStrings [ "/" ":" ] [ "-" "-" ] "docker-image-${imageName}-${imageTag}.tar",
    }:
    fetchers.fetchedStandIn name "docker pull ${imageId} ${fetchers.checkSha256 "pullImage" sha256}"
    // {
      inherit imageId;
    };
in
if current then current' else v1803
