# nixpkgs-contrail's gremlin server on the graph of a production contrail dump.
{
  callPackage,
  contrail32Cw,
  contrailPath,
  cwLib,
}:

let
  dump = callPackage ./cassandra-dump.nix { };
  step = action: arg: {
    node = "machine";
    ${action} = arg;
  };
in
cwLib.makeTest {
  name = "gremlin-dump";
  nodes.machine =
    { ... }:
    {
      imports = [
        (contrailPath + "/modules/contrail-database-loader.nix")
        (contrailPath + "/modules/gremlin-server.nix")
      ];
      _module.args.contrailPkgs = contrail32Cw;
      services.openssh.enable = true;
      services.openssh.permitRootLogin = "yes";
      users.users.root.password = "";
      contrail.databaseLoader = {
        enable = true;
        cassandraDumpPath = dump;
      };
      gremlin.server.enable = true;
    };
  testScript = cwLib.testScript [
    (step "sleep" 500)
    (step "waitForOpenPort" 8182)
    (step "succeed" "${contrail32Cw.tools.contrailGremlin}/bin/gremlin-send 'g.V().count()'")
  ];
}
