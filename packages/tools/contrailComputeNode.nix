# The compute node that dockerImages.contrailVrouter runs (tools.contrailComputeNodeVm, startVm):
# the driver of a one-node NixOS test whose node runs nixpkgs-contrail's vrouter agent and kernel
# module. The node learns its number from the last byte of its data plane MAC address, which
# startVm sets from COMPUTE_NUMBER, and from it its hostname and data plane address.
#
# The result is the driver, with `files`: the agent configuration, vnc_api_lib.ini and the script
# of the configureContrailInterface unit, to build and read on their own.
{
  bash,
  contrailPath,
  contrailPkgs,
  cwLib,
  lib,
  writeTextFile,
}:

let
  # The data plane interface (the VDE VLAN 2 of startVm's QEMU_OPTS).
  contrailInterface = "eth2";
  # Where configureContrailInterface writes the agent's configuration.
  agentConfigPath = "/run/contrail-vrouter-agent.conf";

  files = {
    # The static part of the agent's configuration; the interface section is added at boot.
    vrouterAgent = writeTextFile {
      name = "contrail-vrouter-agent.conf";
      text = lib.generators.toINI { } {
        CONTROL-NODE.server = "control";
        DEFAULT = {
          disable_flow_collection = 1;
          log_file = "/var/log/contrail/vrouter.log";
          log_level = "SYS_DEBUG";
          log_local = 1;
        };
        DISCOVERY = {
          port = 5998;
          server = "discovery";
        };
        FLOWS.max_vm_flows = 20;
        METADATA.metadata_proxy_secret = "t96a4skwwl63ddk6";
        TASK.tbb_keepawake_timeout = 25;
      };
    };

    vncApiLib = writeTextFile {
      name = "vnc_api_lib.ini";
      text = ''
        [auth]
        AUTHN_TYPE   = keystone
        AUTHN_PROTOCOL = http
        AUTHN_SERVER = identity-admin.dev0.loc.cloudwatt.net
        AUTHN_PORT   = 35357
        AUTHN_URL    = /v2.0/tokens
      '';
    };

    # The MAC address of the data plane interface is 52:54:00:12:02:<NUMBER>: the node is
    # compute-<NUMBER>, at 192.168.2.<NUMBER>. The agent subscribes to the controller under its
    # hostname and uses the address as its next hop. The unit puts iproute and nettools on PATH.
    configureContrailInterface = writeTextFile {
      name = "configure-contrail-interface";
      executable = true;
      checkPhase = "${bash}/bin/bash -n $out";
      text = ''
        #!${bash}/bin/bash
        set -e
        NUMBER=$(ip link show ${contrailInterface} | sed -n 's|.*52:54:00:12:02:\([0-9a-f][0-9a-f]\).*|\1|p')
        if [ -z "$NUMBER" ]; then
          echo "${contrailInterface} has no MAC address 52:54:00:12:02:XX" >&2
          exit 1
        fi
        hostname "compute-$NUMBER"
        ip address add "192.168.2.$NUMBER" dev ${contrailInterface}
        ip link set ${contrailInterface} up
        ip route add 192.168.2.0/24 dev ${contrailInterface}
        IP=$(ip address show ${contrailInterface} | sed -n 's|.*inet \([0-9.]*\)/.*|\1|p')
        cp ${files.vrouterAgent} ${agentConfigPath}
        cat >> ${agentConfigPath} <<EOF
        [VIRTUAL-HOST-INTERFACE]
        name = vhost0
        ip = $IP/24
        gateway = 192.168.2.255
        physical_interface = ${contrailInterface}
        EOF
      '';
    };
  };

  computeNode =
    { pkgs, ... }:
    {
      imports = [ (contrailPath + "/modules/compute-node.nix") ];
      config = {
        _module.args = {
          inherit contrailPkgs;
          isContrailMaster = false;
          isContrail32 = true;
        };
        networking.firewall.enable = false;
        # Root logs in over ssh (port 22 of the container) without a password.
        services.openssh = {
          enable = true;
          permitRootLogin = "yes";
          extraConfig = "PermitEmptyPasswords yes";
        };
        users.users.root.password = "";
        virtualisation = {
          graphics = false;
          memorySize = 1024;
        };
        environment.etc."contrail/vnc_api_lib.ini".source = files.vncApiLib;
        contrail.vrouterAgent = {
          enable = true;
          configurationFilepath = agentConfigPath;
          provisionning = false;
          contrailInterfaceName = contrailInterface;
        };
        systemd.services.configureContrailInterface = {
          wantedBy = [ "multi-user.target" ];
          after = [ "network.target" ];
          before = [
            "configureVhostInterface.service"
            "contrailVrouterAgent.service"
          ];
          # nixpkgs renamed iproute to iproute2 (21.05).
          path = [
            (pkgs.iproute2 or pkgs.iproute)
            pkgs.nettools
          ];
          serviceConfig = {
            Type = "oneshot";
            RemainAfterExit = true;
            ExecStart = "${files.configureContrailInterface}";
          };
        };
      };
    };

  test = cwLib.makeTest {
    name = "compute-node";
    nodes.machine = computeNode;
    testScript = "";
  };
in
test.driver // { inherit files; }
