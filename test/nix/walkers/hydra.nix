# Walks a job set the way Hydra's evaluator does: every derivation is a job; attribute sets that
# are not derivations are walked into; null is skipped; anything else is an error for Hydra.
# Evaluation errors that `tryEval` can catch (throw, assert) are collected per attribute.
# Returns { jobs = [ { path; drvPath; } ]; errors = [ path ]; nonDerivations = [ { path; type; } ]; }.
jobs:

let
  isDerivation = value: builtins.isAttrs value && (value.type or null) == "derivation";
  name = path: builtins.concatStringsSep "." path;
  empty = {
    jobs = [ ];
    errors = [ ];
    nonDerivations = [ ];
  };
  merge = a: b: {
    jobs = a.jobs ++ b.jobs;
    errors = a.errors ++ b.errors;
    nonDerivations = a.nonDerivations ++ b.nonDerivations;
  };
  walk =
    path: value:
    let
      forced = builtins.tryEval value;
      v = forced.value;
      drvPath = builtins.tryEval v.drvPath;
    in
    if !forced.success then
      empty // { errors = [ (name path) ]; }
    else if isDerivation v then
      if drvPath.success then
        empty
        // {
          jobs = [
            {
              path = name path;
              drvPath = drvPath.value;
            }
          ];
        }
      else
        empty // { errors = [ (name path) ]; }
    else if v == null then
      empty
    else if builtins.isAttrs v then
      builtins.foldl' merge empty (map (n: walk (path ++ [ n ]) v.${n}) (builtins.attrNames v))
    else
      empty
      // {
        nonDerivations = [
          {
            path = name path;
            type = builtins.typeOf v;
          }
        ];
      };
in
walk [ ] jobs
