# An offline stand-in for nixpkgs-contrail's entry point. The package set does not use any of
# its attributes yet, so it is empty.
{
  pkgs ? null,
}:

{ }
