# The cache of Contrail's third-party packages: a fixed-output derivation that downloads them
# (fetch_packages.py), so the proxy variables reach it. Its hash depends on the autotools of the
# nixpkgs used; users replace it with overrideAttrs. It cannot build offline.
{
  stdenv,
  pkgs,
  sources,
}:

stdenv.mkDerivation {
  name = "contrail-third-party-cache";
  src = sources.thirdParty;
  impureEnvVars = pkgs.lib.fetchers.proxyImpureEnvVars;
  outputHashMode = "recursive";
  outputHashAlgo = "sha256";
  outputHash = "0a5x86azcxk8gnxw10qhd02a75sxzi8dlh149br7n9nny96fz2f9";
  buildCommand = ''
    echo "$name: downloading the third-party packages needs the network" >&2
    exit 1
  '';
}
