# Every derivation reachable from a package set, as `nix-build` users reach them: derivations
# (and the `driver` of NixOS tests), found by walking into attribute sets that are not
# derivations. Functions (functors included) and other values are skipped. Returns [ { path; drv; } ].
set:

let
  isDerivation = value: builtins.isAttrs value && (value.type or null) == "derivation";
  walk =
    path: value:
    if isDerivation value then
      [
        {
          inherit path;
          drv = value;
        }
      ]
      ++ (
        if isDerivation (value.driver or null) then
          [
            {
              path = path ++ [ "driver" ];
              drv = value.driver;
            }
          ]
        else
          [ ]
      )
    # Functors (sets with __functor, as callPackage makes of functions) are functions.
    else if builtins.isAttrs value && !(value ? __functor) then
      builtins.concatLists (map (name: walk (path ++ [ name ]) value.${name}) (builtins.attrNames value))
    else
      [ ];
in
walk [ ] set
