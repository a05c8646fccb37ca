# vmTools: the disk images of Debian-based distributions (diskImageFuns) and runInLinuxVM, with
# each era's arguments. Their builds need KVM, so they evaluate and instantiate, and fail when
# built. The closure of a distribution's packages is computed in nixpkgs by importing a
# generated Nix file (import from derivation) from the fetched package lists; offline that
# cannot happen, so a disk image holds only `extraDebs`, and `expr` is a stand-in.
{
  era,
  lib,
  stdenv,
  runBash,
  fetchurl,
}:

let
  current = era == "current";

  needsVm = name: "echo '${name}: needs a VM (KVM), which the harness cannot start' >&2; exit 1";

  runInLinuxVM =
    drv:
    lib.overrideDerivation drv (attrs: {
      requiredSystemFeatures = [ "kvm" ];
      builder = "/bin/bash";
      args = [
        "-c"
        (needsVm attrs.name)
      ];
    });

  fillDiskWithDebs =
    {
      size ? 4096,
      debs,
      name,
      fullName,
      postInstall ? null,
      createRootFS ? "",
      QEMU_OPTS ? "",
      memSize ? 512,
    }:
    runInLinuxVM (
      stdenv.mkDerivation {
        inherit
          name
          postInstall
          QEMU_OPTS
          memSize
          fullName
          size
          ;
        debs = lib.intersperse "|" debs;
        buildCommand = needsVm name;
        passthru = {
          inherit fullName;
        };
      }
    );

  debClosureGenerator =
    {
      name,
      packagesLists,
      urlPrefix,
      packages,
    }:
    runBash "${name}.nix"
      {
        inherit packagesLists urlPrefix packages;
      }
      "echo '${name}.nix: computing the closure of the packages needs the package lists, which the harness cannot fetch' >&2; exit 1";

  makeImageFromDebDistWith =
    {
      name,
      fullName,
      size,
      urlPrefix,
      packagesLists,
      packages,
      extraPackages,
      postInstall,
      extraDebs,
      QEMU_OPTS,
      memSize,
    }:
    let
      expr = debClosureGenerator {
        inherit name packagesLists urlPrefix;
        packages = packages ++ extraPackages;
      };
    in
    fillDiskWithDebs {
      inherit
        name
        fullName
        size
        postInstall
        QEMU_OPTS
        memSize
        ;
      debs = extraDebs;
    }
    // {
      inherit expr;
    };

  makeImageFromDebDist =
    if current then
      {
        name,
        fullName,
        size ? 4096,
        urlPrefix,
        packagesList ? "",
        packagesLists ? [ packagesList ],
        packages,
        extraPackages ? [ ],
        postInstall ? "",
        extraDebs ? [ ],
        createRootFS ? "",
        QEMU_OPTS ? "",
        memSize ? 512,
      }:
      makeImageFromDebDistWith {
        inherit
          name
          fullName
          size
          urlPrefix
          packagesLists
          packages
          extraPackages
          postInstall
          extraDebs
          QEMU_OPTS
          memSize
          ;
      }
    else
      {
        name,
        fullName,
        size ? 4096,
        urlPrefix,
        packagesList ? "",
        packagesLists ? [ packagesList ],
        packages,
        extraPackages ? [ ],
        postInstall ? "",
        extraDebs ? [ ],
        QEMU_OPTS ? "",
        memSize ? 512,
      }:
      makeImageFromDebDistWith {
        inherit
          name
          fullName
          size
          urlPrefix
          packagesLists
          packages
          extraPackages
          postInstall
          extraDebs
          QEMU_OPTS
          memSize
          ;
      };

  commonDebPackages = [
    "base-passwd"
    "dpkg"
    "libc6-dev"
    "perl"
    "bash"
    "dash"
    "gzip"
    "bzip2"
    "tar"
    "grep"
    "mawk"
    "sed"
    "findutils"
    "g++"
    "make"
    "curl"
    "patch"
    "locales"
    "coreutils"
    "util-linux"
    "file"
    "dpkg-dev"
    "pkg-config"
    "login"
    "passwd"
  ];

  ubuntu =
    {
      name,
      fullName,
      codename,
      compression,
      hashes,
    }:
    {
      inherit name fullName;
      packagesLists =
        map
          (
            component:
            fetchurl {
              url = "mirror://ubuntu/dists/${codename}/${component}/binary-amd64/Packages.${compression}";
              sha256 = hashes.${component};
            }
          )
          [
            "main"
            "universe"
          ];
      urlPrefix = "mirror://ubuntu";
      packages = commonDebPackages ++ [
        "diffutils"
        "libc-bin"
      ];
    };

  # Two of nixpkgs' distributions, with nixpkgs' package-list pins.
  debDistros = {
    ubuntu1404x86_64 = ubuntu {
      name = "ubuntu-14.04-trusty-amd64";
      fullName = "Ubuntu 14.04 Trusty (amd64)";
      codename = "trusty";
      compression = "bz2";
      hashes = {
        main = "1hhzbyqfr5i0swahwnl5gfp5l9p9hspywb1vpihr3b74p1z935bh";
        universe = "04560ba8s4z4v5iawknagrkn9q1nzvpn081ycmqvhh73p3p3g1jm";
      };
    };
    ubuntu1604x86_64 = ubuntu {
      name = "ubuntu-16.04-xenial-amd64";
      fullName = "Ubuntu 16.04 Xenial (amd64)";
      codename = "xenial";
      compression = "xz";
      hashes = {
        main = "110qnkhjkkwm316fbig3aivm2595ydz6zskc4ld5cr8ngcrqm1bn";
        universe = "0mm7gj491yi6q4v0n4qkbsm94s59bvqir6fk60j73w7y4la8rg68";
      };
    };
  };

  diskImageFuns = builtins.mapAttrs (
    name: as: as2:
    makeImageFromDebDist (as // as2)
  ) debDistros;
in
{
  inherit
    runInLinuxVM
    fillDiskWithDebs
    debClosureGenerator
    makeImageFromDebDist
    debDistros
    diskImageFuns
    ;
  diskImageExtraFuns = builtins.mapAttrs (
    name: f: extraPackages:
    f { inherit extraPackages; }
  ) diskImageFuns;
  diskImages = builtins.mapAttrs (name: f: f { }) diskImageFuns;
}
