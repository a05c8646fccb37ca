# test.contrail: the programs its controller VM installs that no other area provides.
{
  era,
  lib,
  v,
  hostPackage,
  pkgs,
}:

{
  vault = hostPackage {
    name = "vault-${v "0.9.5" "1.20.1"}";
    programs = [ "vault" ];
  };
}
