# Looks up attribute paths (lists of names) in a package set and says, for each, whether it
# exists, what it is, and whether a derivation instantiates (its drvPath evaluates; with
# --read-write-mode the .drv files are written). Only `throw`s are caught (builtins.tryEval), so an
# assertion or an argument error anywhere stops the whole evaluation, with Nix's own message.
# Returns [ { path; exists; kind; instantiates; drvPath; } ].
set: paths:

let
  isDerivation = value: builtins.isAttrs value && (value.type or null) == "derivation";
  isFunction = value: builtins.isFunction value || (builtins.isAttrs value && value ? __functor);

  # Follows the path from the set, one name at a time; null when a name is missing.
  lookup =
    value: path:
    if path == [ ] then
      { found = value; }
    else
      let
        step = builtins.tryEval (builtins.isAttrs value && value ? ${builtins.head path});
      in
      if step.success && step.value then
        lookup value.${builtins.head path} (builtins.tail path)
      else
        null;

  describe =
    path:
    let
      hit = builtins.tryEval (lookup set path);
      value = hit.value.found;
      exists = hit.success && hit.value != null;
      kindOf = builtins.tryEval (
        if isDerivation value then
          "derivation"
        else if isFunction value then
          "function"
        else
          builtins.typeOf value
      );
      kind =
        if !exists then
          null
        else if kindOf.success then
          kindOf.value
        else
          "error";
      drv = if kind == "derivation" then builtins.tryEval value.drvPath else { success = false; };
    in
    {
      path = builtins.concatStringsSep "." path;
      inherit exists kind;
      instantiates = drv.success;
      drvPath = if drv.success then drv.value else null;
    };
in
map describe paths
