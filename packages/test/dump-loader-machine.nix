# The NixOS machine both dump tests start from: nixpkgs-contrail's database loader fed with the
# production dump, and sshd with an empty root password for the interactive driver. Each test
# imports it and adds the service it checks.
{
  callPackage,
  contrail32Cw,
  contrailPath,
}:

{ ... }:
{
  imports = [ (contrailPath + "/modules/contrail-database-loader.nix") ];
  _module.args.contrailPkgs = contrail32Cw;
  services.openssh.enable = true;
  services.openssh.permitRootLogin = "yes";
  users.users.root.password = "";
  contrail.databaseLoader = {
    enable = true;
    cassandraDumpPath = callPackage ./cassandra-dump.nix { };
  };
}
