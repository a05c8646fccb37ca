# The part of nixpkgs' `lib` the generated tree uses, with nixpkgs' names and semantics.
let
  lib = {
    inherit (builtins)
      attrNames
      attrValues
      concatStringsSep
      functionArgs
      isFunction
      listToAttrs
      mapAttrs
      ;

    nameValuePair = name: value: { inherit name value; };

    isDerivation = value: builtins.isAttrs value && (value.type or null) == "derivation";

    optionalString = cond: string: if cond then string else "";

    toLower = builtins.replaceStrings lib.upperChars lib.lowerChars;
    lowerChars = lib.stringToCharacters "abcdefghijklmnopqrstuvwxyz";
    upperChars = lib.stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    stringToCharacters =
      s: builtins.genList (i: builtins.substring i 1 s) (builtins.stringLength s);

    # Calls `f` with `origArgs` and lets the result be re-made with other arguments.
    makeOverridable =
      f: origArgs:
      let
        result = f origArgs;
        override = newArgs: lib.makeOverridable f (origArgs // newArgs);
      in
      if builtins.isAttrs result then result // { inherit override; } else result;

    # Fills the formal arguments of `fn` (a function or a file) from `autoArgs`, then `args`.
    callPackageWith =
      autoArgs: fn: args:
      let
        f = if builtins.isFunction fn then fn else import fn;
        auto = builtins.intersectAttrs (builtins.functionArgs f) autoArgs;
      in
      lib.makeOverridable f (auto // args);
  };
in
lib
