# The package set of the offline nixpkgs stand-in, for one era: "18.03" (nixpkgs
# release-18.03) or "current" (nixpkgs master of June 2026; ../../../nixpkgs/facts.json says
# what it lacks, refuses and makes throw). The profiles ../nixpkgs-18.03 and
# ../nixpkgs-current are the entry points; `path` is the profile's directory, which stands for
# the nixpkgs source tree (pkgs.path).
#
# Every builder takes exactly the era's argument names (with `...` only where nixpkgs has it),
# so a misspelt or unsupported argument fails evaluation as it would with that nixpkgs. Builds
# run with the host's tools; what needs the network or a VM is a stand-in (see each file).
{
  era,
  path,
  system,
  config,
  overlays,
}:

assert builtins.elem era [
  "18.03"
  "current"
];

let
  current = era == "current";
  lib = import ./lib.nix { inherit era; };

  std = import ./stdenv.nix {
    inherit era lib system;
    config = configValue;
  };
  inherit (std)
    bash
    hostPackage
    runBash
    stdenv
    stdenvNoCC
    ;

  trivial = import ./trivial-builders.nix {
    inherit
      era
      lib
      stdenv
      stdenvNoCC
      bash
      ;
  };
  fetchers = import ./fetchers.nix { inherit era lib runBash; };
  languages = import ./languages.nix {
    inherit
      era
      lib
      stdenv
      hostPackage
      ;
    inherit (trivial) runCommand;
  };
  dockerTools = import ./docker.nix {
    inherit
      era
      lib
      runBash
      fetchers
      ;
    inherit (trivial) writeText;
  };
  vmTools = import ./vm-tools.nix {
    inherit
      era
      lib
      stdenv
      runBash
      ;
    inherit (fetchers) fetchurl;
  };

  # Version strings of the stand-in packages: approximately those of each era.
  v = v1803: vCurrent: if current then vCurrent else v1803;

  hostPackages = builtins.mapAttrs (attr: p: hostPackage p) {
    coreutils = {
      name = "coreutils-${v "8.29" "9.7"}";
      programs = [
        "basename"
        "cat"
        "chmod"
        "chown"
        "cp"
        "cut"
        "date"
        "dirname"
        "du"
        "echo"
        "env"
        "false"
        "head"
        "id"
        "install"
        "ln"
        "ls"
        "mkdir"
        "mktemp"
        "mv"
        "nproc"
        "printf"
        "readlink"
        "realpath"
        "rm"
        "seq"
        "sha256sum"
        "sleep"
        "sort"
        "stat"
        "tail"
        "tee"
        "test"
        "touch"
        "tr"
        "true"
        "uname"
        "uniq"
        "wc"
      ];
    };
    gnused = {
      name = "gnused-${v "4.4" "4.9"}";
      programs = [ "sed" ];
    };
    gnugrep = {
      name = "gnugrep-${v "3.1" "3.11"}";
      programs = [
        "grep"
        "egrep"
        "fgrep"
      ];
    };
    findutils = {
      name = "findutils-${v "4.6.0" "4.10.0"}";
      programs = [
        "find"
        "xargs"
      ];
    };
    gawk = {
      name = "gawk-${v "4.2.0" "5.3.2"}";
      programs = [
        "awk"
        "gawk"
      ];
    };
    diffutils = {
      name = "diffutils-${v "3.6" "3.12"}";
      programs = [
        "diff"
        "cmp"
      ];
    };
    gzip = {
      name = "gzip-${v "1.9" "1.14"}";
      programs = [
        "gzip"
        "gunzip"
        "zcat"
      ];
    };
    gnutar = {
      name = "gnutar-${v "1.30" "1.35"}";
      programs = [ "tar" ];
    };
    xz = {
      name = "xz-${v "5.2.3" "5.8.1"}";
      programs = [
        "xz"
        "unxz"
      ];
    };
    bzip2 = {
      name = "bzip2-${v "1.0.6.0.1" "1.0.8"}";
      programs = [ "bzip2" ];
    };
    unzip = {
      name = "unzip-6.0";
      programs = [ "unzip" ];
    };
    zstd = {
      name = "zstd-${v "1.3.3" "1.5.7"}";
      programs = [ "zstd" ];
    };
    gnumake = {
      name = "gnumake-${v "4.2.1" "4.4.1"}";
      programs = [ "make" ];
    };
    perl = {
      name = "perl-${v "5.24.3" "5.40.0"}";
      programs = [ "perl" ];
    };
    jq = {
      name = "jq-${v "1.5" "1.8.1"}";
      programs = [ "jq" ];
    };
    skopeo = {
      name = "skopeo-${v "0.1.27" "1.20.0"}";
      programs = [ "skopeo" ];
    };
    curl = {
      name = "curl-${v "7.59.0" "8.14.1"}";
      programs = [ "curl" ];
    };
    dpkg = {
      name = "dpkg-${v "1.19.0.5" "1.22.21"}";
      programs = [
        "dpkg"
        "dpkg-deb"
        "dpkg-query"
      ];
    };
    git = {
      name = "git-${v "2.16.2" "2.50.1"}";
      programs = [ "git" ];
    };
    qemu = {
      name = "qemu-${v "2.11.1" "10.0.3"}";
      programs = [
        "qemu-system-x86_64"
        "qemu-img"
        "qemu-kvm"
      ];
    };
    qemu_kvm = {
      name = "qemu-host-cpu-only-${v "2.11.1" "10.0.3"}";
      programs = [
        "qemu-system-x86_64"
        "qemu-img"
        "qemu-kvm"
      ];
    };
    rsync = {
      name = "rsync-${v "3.1.3" "3.4.1"}";
      programs = [ "rsync" ];
    };
    patchelf = {
      name = "patchelf-${v "0.9" "0.15.0"}";
      programs = [ "patchelf" ];
    };
    openjdk = {
      name = "openjdk-${v "8u172b02" "21.0.8+9"}";
      programs = [
        "java"
        "javac"
        "jar"
      ];
    };
    procps = {
      name = "procps-${v "3.3.12" "4.0.4"}";
      programs = [
        "ps"
        "pgrep"
        "pkill"
        "free"
        "top"
        "kill"
      ];
    };
    nettools = {
      name = "net-tools-${v "1.60_p20170221182432" "2.10"}";
      programs = [
        "netstat"
        "ifconfig"
        "route"
        "arp"
        "hostname"
      ];
    };
    which = {
      name = "which-${v "2.21" "2.23"}";
      programs = [ "which" ];
    };
    libffi = {
      name = "libffi-${v "3.2.1" "3.5.1"}";
      links."lib/libffi.so" = "/usr/lib/x86_64-linux-gnu/libffi.so";
    };
    openssl = {
      name = "openssl-${v "1.0.2n" "3.5.1"}";
      programs = [ "openssl" ];
      passthru.dev = hostPackage { name = "openssl-${v "1.0.2n" "3.5.1"}-dev"; };
    };
    cacert = {
      name = "nss-cacert-${v "3.35" "3.115"}";
      links."etc/ssl/certs/ca-bundle.crt" = "/etc/ssl/certs/ca-certificates.crt";
    };
    netcat = {
      name = "libressl-${v "2.6.4" "4.1.0"}-nc";
      programs = [ "nc" ];
    };
    socat = {
      name = "socat-${v "1.7.3.2" "1.8.0.3"}";
      programs = [ "socat" ];
    };
    openssh = {
      name = "openssh-${v "7.6p1" "10.0p2"}";
      programs = [
        "ssh"
        "scp"
        "ssh-keygen"
      ];
    };
    util-linux = {
      name = "util-linux-${v "2.31.1" "2.41.1"}";
      programs = [
        "uuidgen"
        "getopt"
        "mount"
        "umount"
        "losetup"
        "setsid"
        "flock"
        "hwclock"
      ];
    };
  };

  iproute = hostPackage {
    name = "iproute2-${v "4.15.0" "6.16.0"}";
    programs = [
      "ip"
      "ss"
      "tc"
      "bridge"
    ];
  };

  configValue = if builtins.isFunction config then config { pkgs = self; } else config;

  # More stand-in packages, one file per area of the package set under ./stand-ins: each is a
  # function of { era, lib, v, hostPackage, pkgs } returning top-level attributes. Later files
  # (by name) win, and none may replace what the files above define.
  standInFiles = builtins.attrNames (builtins.readDir ./stand-ins);
  standInsOf =
    pkgs:
    lib.foldl' (
      acc: file:
      acc
      // import (./stand-ins + "/${file}") {
        inherit
          era
          lib
          v
          hostPackage
          pkgs
          ;
      }
    ) { } (builtins.filter (lib.hasSuffix ".nix") standInFiles);

  # What a real nixpkgs of the era has, refuses or makes throw: the facts of
  # nixpkgs/facts.json (which the generator's upgrade report reads too), applied to the stand-ins.
  facts = (builtins.fromJSON (builtins.readFile ../../../nixpkgs/facts.json)).attributes;
  profile = if current then "current" else "pinned";
  factNames = builtins.filter (a: facts.${a} ? ${profile}) (builtins.attrNames facts);

  # Applies `f parent name` at a dotted path (`vmTools.diskImageFuns.x`) of `set`.
  updateAt =
    set: path: f:
    if builtins.length path == 1 then
      f set (builtins.head path)
    else
      set // { ${builtins.head path} = updateAt set.${builtins.head path} (builtins.tail path) f; };

  # nixpkgs' meta check: a refused package is an attribute set whose derivation cannot be had.
  refuse =
    pkg: reason:
    pkg
    // {
      drvPath = throw "Package ‘${pkg.name}’ ${reason}, refusing to evaluate.";
      outPath = throw "Package ‘${pkg.name}’ ${reason}, refusing to evaluate.";
    };
  allowed =
    fact: pkg:
    if fact.status == "unfree" then
      configValue.allowUnfree or false || (configValue.allowUnfreePredicate or (p: false)) pkg
    else
      builtins.elem pkg.name (configValue.permittedInsecurePackages or [ ])
      || (configValue.allowInsecurePredicate or (p: false)) pkg;

  applyFact =
    set: attribute:
    let
      fact = facts.${attribute}.${profile};
    in
    updateAt set (lib.splitString "." attribute) (
      parent: name:
      if fact.status == "removed" then
        builtins.removeAttrs parent [ name ]
      else if fact.status == "throws" then
        parent // { ${name} = throw fact.message; }
      else if allowed fact parent.${name} then
        parent
      else if fact.status == "unfree" then
        parent // { ${name} = refuse parent.${name} "has an unfree license (‘${fact.license}’)"; }
      else
        parent // { ${name} = refuse parent.${name} "is marked as insecure"; }
    );

  base = self: lib.foldl' applyFact (withoutFacts self) factNames;

  withoutFacts =
    self:
    standInsOf self
    // builtins.removeAttrs hostPackages (lib.optional (!current) "util-linux")
    // trivial
    // builtins.removeAttrs fetchers [
      "fetchedStandIn"
      "checkSha256"
    ]
    // languages
    // {
      inherit
        bash
        dockerTools
        lib
        path
        stdenv
        stdenvNoCC
        system
        vmTools
        ;
      inherit (std) glibc;
      pkgs = self;
      config = configValue;
      callPackage = lib.callPackageWith self;
      callPackages = lib.callPackagesWith self;
      newScope = extra: lib.callPackageWith (self // extra);
      bashInteractive = bash;
      runtimeShell = "${bash}/bin/bash";
      # A setup hook: inputs' hooks are sourced by the harness's builds, as by stdenv's setup.
      makeWrapper =
        runBash (if current then "make-shell-wrapper-hook" else "hook")
          {
            hook = ./make-wrapper.sh;
            shell = "${bash}/bin/bash";
          }
          ''
            mkdir -p "$out/nix-support"
            sed "s|@shell@|$shell|" "$hook" > "$out/nix-support/setup-hook"
          '';
    }
    // (
      if current then
        {
          utillinux = throw "'utillinux' has been renamed to/replaced by 'util-linux'";
          iproute2 = iproute;
          testers =
            let
              nixos = import ./nixos-test.nix {
                inherit era;
                pkgs = self;
              };
            in
            {
              inherit (nixos) runNixOSTest;
              nixosTest =
                test:
                let
                  loaded = if builtins.typeOf test == "path" then import test else test;
                  called = if lib.isFunction loaded then loaded self else loaded;
                in
                (nixos.makeTest called).test;
            };
          nixosTest = self.testers.nixosTest;
        }
      else
        {
          utillinux = hostPackages.util-linux;
          inherit iproute;
        }
    );

  # Overlays, then `config.packageOverrides`, extend the set as in nixpkgs.
  allOverlays =
    overlays
    ++ lib.optional (configValue ? packageOverrides) (self: super: configValue.packageOverrides super);

  self = lib.fix (lib.foldl' (f: overlay: lib.extends overlay f) base allOverlays);
in
self
