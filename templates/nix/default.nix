# The Cloudwatt helper library, reached from package files as `cwLib`: small functions over
# nixpkgs builders. Everything computed from descriptors (run scripts, configuration text,
# control files, job lists) is done by the generator and arrives here as plain values.
{ pkgs }:

let
  compat = import ./compat.nix { inherit pkgs; };
in
compat
// import ./images.nix { inherit pkgs compat; }
// import ./config-files.nix { inherit pkgs; }
// import ./debian.nix { inherit pkgs; }
// import ./publish.nix { inherit pkgs; }
// import ./ubuntu-vm.nix { inherit pkgs; }
// import ./hydra.nix { inherit pkgs; }
// import ./contrail.nix { inherit pkgs; }
// import ./tools.nix { inherit pkgs; }
// import ./tests.nix { inherit pkgs; }
// import ./ruby.nix { inherit pkgs; }
// import ./python.nix { inherit pkgs compat; }
// import ./k8s.nix { inherit pkgs; }
// import ./flake.nix { inherit pkgs; }
