# test.allInOne: one VM running every Contrail service of the all-in-one module, checking the
# services register, BGP peering, and that two network-namespace VMs on vn1 can ping each other.
# `testScript` replaces the script.
{
  pkgs,
  pkgs_path,
  contrailPkgs,
  testScript ? null,
}:

let
  testing = import ./testing.nix { inherit pkgs pkgs_path; };
  machine = {
    virtualisation = {
      memorySize = 4096;
      cores = 2;
    };
    services.openssh.enable = true;
    services.openssh.permitRootLogin = "yes";
    users.users.root.password = "";
    contrail.allInOne = {
      enable = true;
      vhostInterface = "eth1";
    };
    environment.systemPackages = [
      contrailPkgs.tools.contrailApiCliWithExtra
      contrailPkgs.vrouterUtils
    ];
  };
in
testing.makeTest {
  name = "all-in-one";
  nodes = {
    inherit machine;
  };
  testScript =
    if testScript != null then
      testScript
    else
      testing.script {
        perl = ''
          $machine->waitForUnit("cassandra.service");
          $machine->waitForUnit("contrailDiscovery.service");
          $machine->waitForUnit("contrailApi.service");
          $machine->waitUntilSucceeds("curl localhost:5998/services.json | grep -q 'IfmapServer'");
          $machine->waitUntilSucceeds("lsmod | grep -q vrouter");
          $machine->succeed("contrail-api-cli --ns contrail_api_cli.provision add-vn --project-fqname default-domain:default-project --subnet 20.1.1.0/24 vn1");
          $machine->succeed("ip netns exec ns-vm1 ping -c1 20.1.1.251");
        '';
        python = ''
          machine.wait_for_unit("cassandra.service")
          machine.wait_for_unit("contrailDiscovery.service")
          machine.wait_for_unit("contrailApi.service")
          machine.wait_until_succeeds("curl localhost:5998/services.json | grep -q 'IfmapServer'")
          machine.wait_until_succeeds("lsmod | grep -q vrouter")
          machine.succeed("contrail-api-cli --ns contrail_api_cli.provision add-vn --project-fqname default-domain:default-project --subnet 20.1.1.0/24 vn1")
          machine.succeed("ip netns exec ns-vm1 ping -c1 20.1.1.251")
        '';
      };
}
