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
  loaderMachine = callPackage ./dump-loader-machine.nix { };
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
        loaderMachine
        (contrailPath + "/modules/contrail-api.nix")
      ];
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
