# Where nixpkgs 18.03 and a current nixpkgs differ, the package set asks the nixpkgs it was given
# what it accepts, here and nowhere else.
{ pkgs }:

let
  inherit (pkgs) lib;

  # The formal arguments of a builder. Many builders are functors (sets with `__functor`), on
  # which `builtins.functionArgs` fails with an error `tryEval` cannot catch, and the 18.03
  # `lib.functionArgs` does not unwrap them: look through `__functionArgs` and `__functor`.
  functionArgsOf =
    f:
    if builtins.isFunction f then
      builtins.functionArgs f
    else if f ? __functionArgs then
      f.__functionArgs
    else if f ? __functor then
      functionArgsOf (f.__functor f)
    else
      { };

  accepts = f: name: (functionArgsOf f) ? ${name};

  # `buildGoPackage` is an alias that throws in a current nixpkgs.
  hasBuildGoPackage =
    let
      found = builtins.tryEval (pkgs.buildGoPackage or null);
    in
    found.success && found.value != null;

  describe = source: "${source.attrPath} (${source.file})";

  # `build` called with `contents` renamed to `copyToRoot` where buildImage knows that name.
  withContents =
    build: args:
    if args ? contents && accepts pkgs.dockerTools.buildImage "copyToRoot" then
      build (builtins.removeAttrs args [ "contents" ] // { copyToRoot = args.contents; })
    else
      build args;
in
{
  inherit functionArgsOf accepts;

  # dockerTools.buildImage and buildImageWithNixDb, with the image's files given as `contents`
  # whatever the nixpkgs calls them (`copyToRoot` since 22.11; `contents` still works there, with
  # a warning).
  buildImage = withContents pkgs.dockerTools.buildImage;
  buildImageWithNixDb = withContents pkgs.dockerTools.buildImageWithNixDb;

  # dockerTools.pullImage by tag (18.03) or by digest (since 18.09). The result always carries
  # `imageName` and `imageTag`, which 18.03's result lacks.
  pullImage =
    {
      source,
      imageName,
      imageTag,
      sha256,
      digest ? null,
      digestSha256 ? null,
    }:
    let
      pull = pkgs.dockerTools.pullImage;
      byDigest =
        if digest == null then
          throw ''
            ${describe source}: this nixpkgs pulls images by digest, and the descriptor pins ${imageName}:${imageTag} by tag only.
            Add `digest:` (the `Digest` printed by `skopeo inspect docker://${imageName}:${imageTag}`) and `digestSha256:` (the hash the first build reports) to ${source.file}.''
        else
          pull {
            inherit imageName;
            imageDigest = digest;
            sha256 = digestSha256;
            finalImageTag = imageTag;
          };
      byTag = pull { inherit imageName imageTag sha256; };
    in
    (if accepts pull "imageDigest" then byDigest else byTag) // { inherit imageName imageTag; };

  # A Go program: buildGoPackage (GOPATH, go2nix dependencies) where nixpkgs still has it,
  # buildGoModule otherwise. Programs without a go.mod cannot really build there; they still
  # evaluate, so the rest of the set stays usable. `goVersion = "1.10"` asks for Go 1.10:
  # buildGo110Package where nixpkgs has it; a nixpkgs without it has no Go 1.10 at all, and its
  # default builder is used.
  buildGo =
    {
      pname,
      version,
      goPackagePath,
      src,
      goVersion ? "default",
      goDeps ? null,
      ldflags ? [ ],
      subPackages ? [ ],
      excludedPackages ? [ ],
      extraArgs ? { },
    }:
    let
      name = if version == null then pname else "${pname}-${version}";
      # One `go install` argument carries all linker flags.
      flags = lib.optional (ldflags != [ ]) "-ldflags=${lib.concatStringsSep " " ldflags}";
      builder =
        if goVersion == "1.10" && pkgs ? buildGo110Package then
          pkgs.buildGo110Package
        else if goVersion == "default" || goVersion == "1.10" then
          pkgs.buildGoPackage
        else
          throw "cwLib.buildGo: unknown Go version ${goVersion}";
    in
    if hasBuildGoPackage then
      builder (
        {
          inherit name goPackagePath src;
        }
        // lib.optionalAttrs (goDeps != null) { inherit goDeps; }
        // lib.optionalAttrs (flags != [ ]) { buildFlagsArray = flags; }
        // lib.optionalAttrs (subPackages != [ ]) { inherit subPackages; }
        // lib.optionalAttrs (excludedPackages != [ ]) {
          excludedPackages = lib.concatStringsSep " " excludedPackages;
        }
        // extraArgs
      )
    else
      pkgs.buildGoModule (
        {
          pname = pname;
          version = if version == null then "unversioned" else version;
          inherit src ldflags;
          vendorHash = null;
        }
        // lib.optionalAttrs (subPackages != [ ]) { inherit subPackages; }
        // lib.optionalAttrs (excludedPackages != [ ]) { inherit excludedPackages; }
        // extraArgs
      );

  # A NixOS VM test: 18.03's nixos/lib/testing.nix makeTest, or testers.runNixOSTest.
  makeTest =
    test:
    if pkgs ? testers && pkgs.testers ? runNixOSTest then
      pkgs.testers.runNixOSTest test
    else
      (import (pkgs.path + "/nixos/lib/testing.nix") { inherit (pkgs) system; }).makeTest test;
}
