# nixpkgs-contrail's gremlin server on the graph of a production contrail dump.
{
  callPackage,
  contrail32Cw,
  contrailPath,
  cwLib,
}:

let
  loaderMachine = callPackage ./dump-loader-machine.nix { };
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
        loaderMachine
        (contrailPath + "/modules/gremlin-server.nix")
      ];
      gremlin.server.enable = true;
    };
  testScript = cwLib.testScript [
    (step "sleep" 500)
    (step "waitForOpenPort" 8182)
    (step "succeed" "${contrail32Cw.tools.contrailGremlin}/bin/gremlin-send 'g.V().count()'")
  ];
}
