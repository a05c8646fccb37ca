# contrail-api of contrail32Cw on the configuration database of a production dump, loaded by
# nixpkgs-contrail's database loader module.
{
  callPackage,
  contrail32Cw,
  contrailPath,
  curl,
  cwLib,
  pkgs,
}:

let
  dump = callPackage ./cassandra-dump.nix { };
  apiConf = import (contrailPath + "/test/configuration/R3.2/api.nix") { inherit pkgs; };
  step = action: arg: {
    node = "machine";
    ${action} = arg;
  };
in
cwLib.makeTest {
  name = "contrail-load-database";
  nodes.machine =
    { ... }:
    {
      imports = [
        (contrailPath + "/modules/contrail-database-loader.nix")
        (contrailPath + "/modules/contrail-api.nix")
      ];
      _module.args.contrailPkgs = contrail32Cw;
      services.openssh.enable = true;
      services.openssh.permitRootLogin = "yes";
      users.users.root.password = "";
      contrail.databaseLoader = {
        enable = true;
        cassandraDumpPath = dump;
      };
      contrail.api = {
        enable = true;
        configFile = apiConf;
        waitFor = false;
      };
    };
  testScript = cwLib.testScript [
    # Cassandra and the API server are slow to start on a dump this size.
    (step "sleep" 600)
    (step "waitForOpenPort" 8082)
    (step "waitForUnit" "contrailApi.service")
    (step "succeed" "${curl}/bin/curl localhost:8082/virtual-networks")
  ];
}
