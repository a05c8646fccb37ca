# Hydra's jobs for the Cloudwatt package set (see README.md, "Hydra"). Everything lives in
# ./generated/jobset.nix; arguments given here are passed on, the others keep their defaults there.
args@{
  bootstrap_pkgs ? null,
  fetched ? null,
  nixpkgs ? null,
  contrail ? null,
  system ? null,
  cloudwatt ? null,
  pushToDockerRegistry ? null,
  publishToAptly ? null,
  unsetProxyForSkopeo ? null,
  unsetProxyForAptly ? null,
  aptlyUrl ? null,
}:

import ./generated/jobset.nix args
