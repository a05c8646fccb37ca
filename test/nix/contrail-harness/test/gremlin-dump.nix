# test.gremlinDump: loads a Cassandra dump into a gremlin server and counts its vertices.
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
  name = "gremlin-dump";
  nodes.machine = {
    virtualisation.memorySize = 4096;
    contrail.databaseLoader = {
      enable = true;
      cassandraDumpPath = cassandraDumpPath;
    };
    gremlin.server.enable = true;
    environment.systemPackages = [ contrailPkgs.tools.contrailGremlin ];
  };
  testScript = testing.script {
    perl = ''
      $machine->waitForOpenPort(8182);
      $machine->succeed("gremlin-send 'g.V().count()'");
    '';
    python = ''
      machine.wait_for_open_port(8182)
      machine.succeed("gremlin-send 'g.V().count()'")
    '';
  };
}
