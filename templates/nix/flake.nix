# For a flake: every derivation of the nested set as one flat set (a flake's `packages` holds
# derivations only), named by where it lives: dockerImages.locksmithWorker is
# "dockerImages-locksmithWorker", a NixOS test's driver "test-hydra-driver". Functions and other
# values are left out; sets are walked into.
{ pkgs }:

let
  isDerivation = value: builtins.isAttrs value && (value.type or null) == "derivation";
  flatten =
    path: value:
    if isDerivation value then
      [
        {
          name = builtins.concatStringsSep "-" path;
          inherit value;
        }
      ]
      ++ pkgs.lib.optional (isDerivation (value.driver or null)) {
        name = builtins.concatStringsSep "-" (path ++ [ "driver" ]);
        value = value.driver;
      }
    else if builtins.isAttrs value && !(value ? __functor) then
      builtins.concatMap (name: flatten (path ++ [ name ]) value.${name}) (builtins.attrNames value)
    else
      [ ];
in
{
  flakePackages = set: builtins.listToAttrs (flatten [ ] set);
}
