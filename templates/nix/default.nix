# The Cloudwatt helper library, reached from package files as `cwLib`.
# Small functions over nixpkgs builders; everything computed from descriptors is done by the
# generator and arrives here as plain values.
{ pkgs }:

import ./images.nix { inherit pkgs; }
