# test.loadDatabase: loads a Cassandra dump, starts the API server and the schema transformer,
# and checks the virtual network of the dump is listed.
{
  pkgs,
  pkgs_path,
  contrailPkgs,
  cassandraDumpPath,
}:

let
  testing = import ./testing.nix { inherit pkgs pkgs_path; };
in
testing.makeTest {
  name = "contrail-database-loader";
  nodes.machine = {
    virtualisation.memorySize = 4096;
    contrail.databaseLoader = {
      enable = true;
      cassandraDumpPath = cassandraDumpPath;
    };
    environment.systemPackages = [ contrailPkgs.tools.contrailApiCliWithExtra ];
  };
  testScript = testing.script {
    perl = ''
      $machine->waitForUnit("contrailApi.service");
      $machine->waitUntilSucceeds("contrail-api-cli ls -l virtual-network | grep -q vn1");
    '';
    python = ''
      machine.wait_for_unit("contrailApi.service")
      machine.wait_until_succeeds("contrail-api-cli ls -l virtual-network | grep -q vn1")
    '';
  };
}
