# Python applications: every package of a pinned closure (what pypi2nix writes) built with the
# interpreter's buildPythonPackage.
{ pkgs, compat }:

let
  inherit (pkgs) lib;
in
{
  # `packages` is a function of the finished set: name -> { version, src, propagates, doCheck }.
  # Every package gets `buildInputs`; `main` is the result, with the whole set as passthru
  # `pythonPackages`.
  pythonClosure =
    {
      python,
      main,
      packages,
      buildInputs ? [ ],
      meta ? { },
    }:
    let
      build = python.pkgs.buildPythonPackage;
      # A current nixpkgs asks for the build format; 18.03 takes setuptools by default.
      naming =
        name: p:
        if compat.accepts build "pyproject" then
          {
            pname = name;
            inherit (p) version;
            format = "setuptools";
          }
        else
          { name = "${name}-${p.version}"; };
      one =
        name: p:
        build (
          naming name p
          // {
            inherit (p) src doCheck;
            inherit buildInputs;
            propagatedBuildInputs = p.propagates;
          }
          // lib.optionalAttrs (name == main) {
            inherit meta;
            passthru.pythonPackages = closure;
          }
        );
      closure = lib.fix (self: lib.mapAttrs one (packages self));
    in
    closure.${main};
}
