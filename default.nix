# The Cloudwatt package set. Everything lives in ./generated (compiled from ./packages by
# `npm run generate`); arguments given here are passed on, the others keep their defaults.
args@{
  fetched ? null,
  nixpkgs ? null,
  contrail ? null,
  system ? null,
}:

import ./generated args
