# The Hydra image and the other non-contrail images (hydra, nix, nginx, postgresql93, perl
# modules, fetchpatch).
{
  era,
  lib,
  v,
  hostPackage,
  pkgs,
}:

let
  # A program stand-in that is a real stdenv derivation, so overrideAttrs works on it.
  programs =
    name: names:
    pkgs.stdenv.mkDerivation {
      inherit name;
      phases = [ "installPhase" ];
      installPhase = ''
        mkdir -p $out/bin
        for p in ${lib.concatStringsSep " " names}; do
          printf '#!/bin/sh\necho "%s: harness stand-in for ${name}" >&2\nexit 127\n' "$p" > $out/bin/$p
          chmod +x $out/bin/$p
        done
      '';
    };
in
{
  hydra = programs "hydra-${v "2017-11-21" "0-unstable-2025-09-03"}" [
    "hydra-server"
    "hydra-queue-runner"
    "hydra-evaluator"
    "hydra-init"
    "hydra-create-user"
  ];
  nix = hostPackage {
    name = "nix-${v "2.0" "2.28.4"}";
    programs = [
      "nix-store"
      "nix-build"
      "nix-instantiate"
      "nix-env"
    ];
  };
  nginx = hostPackage {
    name = "nginx-${v "1.12.2" "1.28.0"}";
    programs = [ "nginx" ];
  };
  postgresql93 = hostPackage {
    name = "postgresql-9.3.22";
    programs = [
      "psql"
      "createdb"
      "createuser"
    ];
  };
  perlPackages = {
    CryptSSLeay = hostPackage { name = "perl${v "" "5.40.0"}-Crypt-SSLeay-0.72"; };
  };
  # fetchpatch normalises the patch, then it is a fixed-output fetch like fetchurl.
  fetchpatch = { url, sha256, ... }: pkgs.fetchurl { inherit url sha256; };
}
