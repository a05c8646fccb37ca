# vms: computeNode, the driver of a VM running a Contrail compute node (its vrouter agent talks
# to 10.0.2.200), and computeNodeDockerImage, a Docker image `vrouter` that runs that VM.
{
  pkgs,
  pkgs_path,
  contrailPkgs,
}:

let
  testing = import ../test/testing.nix { inherit pkgs pkgs_path; };
  config = {
    virtualisation.memorySize = 1024;
    users.users.root.password = "root";
    contrail.vrouterAgent = {
      enable = true;
      provisioning = true;
      discoveryHost = "10.0.2.200";
      apiHost = "10.0.2.200";
    };
    environment.systemPackages = [
      contrailPkgs.vrouterAgent
      contrailPkgs.vrouterUtils
    ];
  };
  computeNode =
    (testing.makeTest {
      name = "compute-node";
      nodes.machine = config;
      testScript = "";
    }).driver;
  startVm = pkgs.writeShellScriptBin "startVm" ''
    export QEMU_NET_OPTS=hostfwd=udp::51234-:51234,hostfwd=tcp::22-:22,hostfwd=tcp::8085-:8085,guestfwd=tcp:10.0.2.200:5998-tcp:discovery:5998,guestfwd=tcp:10.0.2.200:8082-tcp:api:8082
    ${computeNode}/bin/${testing.runVms}
  '';
in
{
  inherit computeNode;
  computeNodeDockerImage = pkgs.dockerTools.buildImage {
    name = "vrouter";
    config = {
      Cmd = [ "${startVm}/bin/startVm" ];
    };
  };
}
