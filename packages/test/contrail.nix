# Contrail 3.2 of this set in production shape: the controller VM runs the Cloudwatt
# infrastructure (Consul, Vault, DNS, ...), OpenStack's databases, Keystone and the contrail
# images as docker-compose stacks; two compute node VMs run nixpkgs-contrail's vrouter agent.
# The test provisions networks vn1 and vn2 joined by a router with the external network
# `public`, and pings between namespace VMs, across the router and, through SNAT, out to the
# controller.
#
# Nodes get the address 192.168.<vlan>.<n> on each VLAN: controller 192.168.1.1, vrouter1
# 192.168.1.2 and 192.168.2.2, vrouter2 192.168.1.3 and 192.168.2.3 (VLAN 2 is the data plane).
{
  callPackage,
  contrail32Cw,
  contrailPath,
  curl,
  cwLib,
  dockerImages,
  fetchzip,
  gnumake,
  gnused,
  jq,
  lib,
  openstackClient,
  pkgs,
  runCommand,
  vault,
  waitFor,
  writeShellScriptBin,
  writeText,
}:

let
  # nixpkgs renamed docker_compose to docker-compose (21.05).
  dockerCompose = pkgs.docker-compose or pkgs.docker_compose;

  # Sources of the internal GitLab, with the edits the test needs. Each edit must match.
  patchedSource =
    {
      name,
      url,
      sha256,
      edits,
    }:
    runCommand name { src = fetchzip { inherit url sha256; }; } (
      ''
        cp -r "$src/." .
        chmod -R u+w .
      ''
      + lib.concatMapStrings (
        {
          file,
          match,
          sed,
        }:
        ''
          if ! grep -q -e ${lib.escapeShellArg match} ${file}; then
            echo ${lib.escapeShellArg "${name}: ${file} has no line matching ${match}"} >&2
            exit 1
          fi
          ${gnused}/bin/sed -i -e ${lib.escapeShellArg sed} ${file}
        ''
      ) edits
      + ''
        mkdir -p "$out"
        cp -r . "$out/"
      ''
    );

  infrastructure = patchedSource {
    name = "infrastructure";
    url = "https://git.corp.cloudwatt.com/applications/deployment/repository/a3cc21135fad25e395ff1c84d47bebc95c6cd930/archive.tar.gz";
    sha256 = "1kynpqhhg8y0kjklgf4w2jg4860ijw9mkk2h63faxbvw0ikhi08l";
    edits = [
      {
        file = "docker-compose/infrastructure.yml";
        match = "development/dnsmasq";
        sed = "s|development/dnsmasq|eon/dnsmasq|";
      }
      # Both stacks start detached, so the test goes on.
      {
        file = "docker-compose/Makefile";
        match = "docker-compose -f infrastructure.yml up$";
        sed = "s|docker-compose -f infrastructure.yml up$|& -d|";
      }
      {
        file = "docker-compose/Makefile";
        match = "docker-compose -f openstack.yml up$";
        sed = "s|docker-compose -f openstack.yml up$|& -d|";
      }
      # Provision only what contrail uses: MySQL and RabbitMQ are ready sooner.
      {
        file = "docker-compose/openstack.yml";
        match = "\"RABBITMQ_USERS=";
        sed = "s|\"RABBITMQ_USERS=.*|\"RABBITMQ_USERS=opencontrail\"|";
      }
      {
        file = "docker-compose/openstack.yml";
        match = "\"RABBITMQ_VHOSTS=";
        sed = "s|\"RABBITMQ_VHOSTS=.*|\"RABBITMQ_VHOSTS=opencontrail\"|";
      }
      {
        file = "docker-compose/openstack.yml";
        match = "\"MYSQL_DATABASES=";
        sed = "s|\"MYSQL_DATABASES=.*|\"MYSQL_DATABASES=keystone\"|";
      }
    ];
  };

  keystone = patchedSource {
    name = "keystone";
    url = "https://git.corp.cloudwatt.com/docker/keystone-all/repository/c1d3389b15e5f511bb2bb5d7751ece0341b2f0fd/archive.tar.gz";
    sha256 = "08l7cag28j0711879hzgszmi8mi8bn1ph6b6zm1pfkfw3vn867c0";
    edits = [
      {
        file = "Makefile";
        match = "@docker-compose up$";
        sed = "s|@docker-compose up$|& -d|";
      }
      # The image loaded below, re-tagged.
      {
        file = "docker-compose.yml";
        match = "all:9.0.0-1";
        sed = "s|all:9.0.0-1|all:latest|";
      }
    ];
  };

  # This repository's development stack (contrail.yml and its Makefile).
  stack = callPackage ./contrail-stack.nix { };

  # Loaded in the controller and tagged `latest`, which the stacks use.
  images = with dockerImages.pulled; [
    # infrastructure
    consulAgentImage
    developmentDnsmaskImage
    developmentFluentdImage
    developmentPolipoImage
    developmentPolymurImage
    developmentRegistratorImage
    developmentVaultImage
    # openstack
    developmentMysqlImage
    developmentRabbitmqImage
    # keystone
    openstackToolsImage
    keystoneAllImage
    # contrail
    zookeeperImage
    cassandraImage
    dockerImages.contrailApi
    dockerImages.contrailDiscovery
    dockerImages.contrailControl
    dockerImages.contrailSchemaTransformer
    dockerImages.contrailSvcMonitor
    dockerImages.contrailAnalytics
  ];

  region = "dev0";
  keystoneProtocol = "http";
  keystoneHost = "identity-admin.${region}.loc.cloudwatt.net";
  keystonePublicHost = "identity.${region}.loc.cloudwatt.net";
  keystoneAdminPort = 35357;
  keystoneAdminUrl = "${keystoneProtocol}://${keystoneHost}:${toString keystoneAdminPort}/v2.0";
  keystoneProject = "openstack";
  keystoneUser = "admin";
  keystonePassword = "development";

  publicNet = {
    name = "public";
    prefix = "10.0.0.0";
    length = 24;
  };
  publicSubnet = "${publicNet.prefix}/${toString publicNet.length}";

  controllerIp = "192.168.1.1";
  vrouters = {
    vrouter1 = "2";
    vrouter2 = "3";
  };

  files = {
    adminTokenRc = writeText "admin-token.openrc" ''
      export OS_AUTH_TYPE="v2token"
      export OS_AUTH_URL="${keystoneAdminUrl}"
      export OS_TOKEN="${keystonePassword}"
      export CONTRAIL_API_HOST=controller
    '';

    adminRc = writeText "admin.openrc" ''
      export OS_AUTH_TYPE="v2password"
      export OS_AUTH_URL="${keystoneAdminUrl}"
      export OS_REGION_NAME="${region}"
      export OS_PROJECT_NAME="${keystoneProject}"
      # contrail-api-cli reads the tenant, not the project
      export OS_TENANT_NAME="${keystoneProject}"
      export OS_USERNAME="${keystoneUser}"
      export OS_PASSWORD="${keystonePassword}"
      export OS_INTERFACE="admin"
      export CONTRAIL_API_HOST=controller
    '';

    vncApiLib = writeText "vnc_api_lib.ini" ''
      [auth]
      AUTHN_TYPE = keystone
      AUTHN_PROTOCOL = ${keystoneProtocol}
      AUTHN_SERVER = ${keystoneHost}
      AUTHN_PORT = ${toString keystoneAdminPort}
      AUTHN_URL = /v2.0/tokens
      AUTHN_TOKEN_URL = ${keystoneAdminUrl}/tokens
    '';

    provision = writeText "provision.json" (
      builtins.toJSON {
        name = "test";
        namespace = "contrail_api_cli.provision";
        defaults = {
          vn.project-fqname = "default-domain:service";
          lr.project-fqname = "default-domain:service";
        };
        provision = {
          encaps.modes = [
            "MPLSoGRE"
            "MPLSoUDP"
            "VXLAN"
          ];
          vrouter = lib.mapAttrsToList (name: n: {
            vrouter-ip = "192.168.2.${n}";
            vrouter-name = name;
          }) vrouters;
          vn = [
            {
              virtual-network-name = publicNet.name;
              subnets = [ publicSubnet ];
              external = true;
            }
            {
              virtual-network-name = "vn1";
              subnets = [ "20.1.1.0/24" ];
            }
            {
              virtual-network-name = "vn2";
              subnets = [ "20.2.2.0/24" ];
            }
          ];
          lr = {
            logical-router-name = "router";
            vn-fqnames = [
              "default-domain:service:vn1"
              "default-domain:service:vn2"
            ];
            external-vn-fqname = "default-domain:service:${publicNet.name}";
          };
        };
      }
    );

    # The agent talks to the controller's address: the discovery would hand out the docker
    # addresses of the services, which the compute nodes cannot reach.
    vrouterAgent =
      n:
      writeText "contrail-vrouter-agent.conf" ''
        [DEFAULT]
        disable_flow_collection = 1
        log_level = SYS_DEBUG
        collectors = ${controllerIp}:8086

        [CONTROL-NODE]
        server = ${controllerIp}

        [VIRTUAL-HOST-INTERFACE]
        name = vhost0
        ip = 192.168.2.${n}/24
        gateway = 192.168.2.1
        physical_interface = eth2

        [FLOWS]
        max_vm_flows = 20

        [METADATA]
        metadata_proxy_secret = t96a4skwwl63ddk6

        [TASK]
        tbb_keepawake_timeout = 25

        [SERVICE-INSTANCE]
        netns_command=${contrail32Cw.vrouterNetns}/bin/opencontrail-vrouter-netns
      '';

    # A neutron READALL of networks, as the contrail neutron plugin sends it to vnc_openstack;
    # as an admin request, its tenant and user need not exist.
    neutronRequest = writeText "request.json" (
      builtins.toJSON {
        context = {
          type = "network";
          operation = "READALL";
          tenant_id = "6d5e09f8e1194f928afece567b6e56f5";
          user_id = "6d5e09f8e1194f928afece567b6e56f5";
          request_id = "req-f79fa546-ec4c-4bcc-9f4d-b535974312b8";
          is_admin = true;
        };
        data = {
          fields = [ ];
          filters = { };
        };
      }
    );
  };

  checkVncOpenstack = writeShellScriptBin "check-vnc_openstack" ''
    set -e
    source ${files.adminRc}
    token=$(${openstackClient}/bin/openstack token issue -f value -c id)
    ${curl}/bin/curl -s -i -X POST -H "X-Auth-Token: $token" -H "Content-type: application/json" \
      --data @${files.neutronRequest} http://localhost:8082/neutron/network | grep -q '200 OK'
  '';

  keystoneFiles = {
    "keystone/admin-token.openrc".source = files.adminTokenRc;
    "keystone/admin.openrc".source = files.adminRc;
    "contrail/vnc_api_lib.ini".source = files.vncApiLib;
  };
  identityHosts = [
    keystoneHost
    keystonePublicHost
  ];
  # Root logs in over ssh without a password (for debugging with the driver).
  sshWithEmptyPassword = {
    services.openssh.enable = true;
    services.openssh.permitRootLogin = "yes";
    services.openssh.extraConfig = "PermitEmptyPasswords yes";
    users.users.root.password = "";
  };

  controller =
    { ... }:
    {
      imports = [ sshWithEmptyPassword ];
      config = {
        networking.firewall.enable = false;
        networking.hosts."127.0.1.1" = identityHosts;
        # The controller is pinged from the public network through SNAT on a vrouter: its
        # answers go back through vrouter1.
        networking.interfaces.eth1.ipv4.routes = [
          {
            address = publicNet.prefix;
            prefixLength = publicNet.length;
            via = "192.168.1.2";
          }
        ];
        virtualisation = {
          diskSize = 10000;
          memorySize = 4096;
          cores = 2;
          graphics = false;
          docker.enable = true;
        };
        environment.systemPackages = [
          dockerCompose
          gnumake
          curl
          vault
          jq
          openstackClient
          contrail32Cw.tools.contrailApiCliWithExtra
        ];
        environment.etc = keystoneFiles // {
          "docker/daemon.json".text = builtins.toJSON { dns-opts = [ "ndots:2" ]; };
          "contrail/provision.json".source = files.provision;
        };
      };
    };

  vrouter =
    n:
    { ... }:
    {
      imports = [
        (contrailPath + "/modules/compute-node.nix")
        sshWithEmptyPassword
      ];
      config = {
        _module.args = {
          contrailPkgs = contrail32Cw;
          isContrailMaster = false;
          isContrail32 = true;
        };
        networking.firewall.enable = false;
        networking.hosts.${controllerIp} = identityHosts;
        environment.etc = keystoneFiles;
        virtualisation = {
          memorySize = 1024;
          vlans = [
            1
            2
          ];
          graphics = false;
        };
        contrail.vrouterAgent = {
          enable = true;
          provisionning = false;
          configurationFilepath = "${files.vrouterAgent n}";
          contrailInterfaceName = "eth2";
        };
        # The gateway of the public network, once the agent answers on its introspect port.
        systemd.services.addVGW = {
          wantedBy = [ "multi-user.target" ];
          after = [ "contrailVrouterAgent.service" ];
          serviceConfig = {
            Type = "oneshot";
            RemainAfterExit = true;
          };
          script = ''
            ${waitFor}/bin/wait-for localhost:9091
            ${contrail32Cw.configUtils}/bin/provision_vgw_interface.py --oper create \
              --interface vgw --subnets ${publicSubnet} --routes 0.0.0.0/0 \
              --vrf "default-domain:service:${publicNet.name}:${publicNet.name}"
          '';
        };
      };
    };

  # Where the controller keeps its copies of the stacks, and the Vault token the
  # infrastructure's vault-init writes.
  dirs = {
    infrastructure = "/tmp/infrastructure";
    keystone = "/tmp/keystone";
    contrail = "/tmp/contrail";
  };
  infraCompose = "${dirs.infrastructure}/docker-compose";
  vaultEnv = "${infraCompose}/.docker-compose/vault.env";
  inDir = dir: command: "source ${vaultEnv} && cd ${dir} && ${command}";

  on = node: action: arg: {
    inherit node;
    ${action} = arg;
  };
  controllerStep = on "controller";

  load = image: [
    (controllerStep "succeed" "docker load -i ${image}")
    (controllerStep "succeed" "docker tag ${image.imageName}:${image.imageTag} ${image.imageName}:latest")
  ];
  copy = src: dir: controllerStep "succeed" "cp -r ${src}/. ${dir}/ && chmod -R u+w ${dir}";

  # The discovery lists a service of this type as up.
  discoveryUp =
    type:
    controllerStep "waitUntilSucceeds" "curl -s localhost:5998/services.json | jq -e '.services[] | select(.service_type == \"${type}\" and .oper_state == \"up\")'";

  contrailServices = "cassandra zookeeper api discovery control schema analytics svc-monitor";
  controlName = "$(cd ${dirs.contrail} && docker-compose -f contrail.yml ps -q control 2>/dev/null | cut -c -12)";
  controlIp = "$(curl -s localhost:8500/v1/catalog/service/opencontrail-control | jq -r '.[].ServiceAddress')";
  netnsVm =
    node: network: vm:
    on node "succeed"
      "netns-daemon-start -U opencontrail -P development -s controller -n default-domain:service:${network} ${vm}";

  steps = [
    { startAll = true; }
    (controllerStep "waitForUnit" "docker.service")
  ]
  ++ lib.concatMap load images
  ++ [
    (controllerStep "succeed" "mkdir -p ${dirs.infrastructure} ${dirs.keystone} ${dirs.contrail}")
    (copy infrastructure dirs.infrastructure)
    (copy keystone dirs.keystone)
    (copy stack dirs.contrail)

    # Infrastructure: Vault is initialised once, then unsealed when the stack is up.
    (controllerStep "succeed" "[ -f ${vaultEnv} ] || (cd ${infraCompose} && make vault-init)")
    (controllerStep "succeed" (inDir infraCompose "make infrastructure-up"))
    (controllerStep "waitUntilSucceeds" "vault status -tls-skip-verify")

    # OpenStack databases: MySQL has the keystone user, RabbitMQ the opencontrail vhost.
    (controllerStep "succeed" (inDir infraCompose "make openstack-up"))
    (controllerStep "waitUntilSucceeds" "docker exec dockercompose_openstack-db_1 mysql mysql -e 'select user from user' | grep keystone")
    (controllerStep "waitUntilSucceeds" "docker exec dockercompose_openstack-queue_1 rabbitmqctl list_permissions -p opencontrail | grep -e ^opencontrail")

    # Keystone; its service user and the catalog are created when the admin is missing.
    (controllerStep "succeed" (inDir dirs.keystone "make dev-up"))
    (controllerStep "sleep" 20)
    (controllerStep "succeed" "(source ${files.adminTokenRc} && openstack user list --project ${keystoneProject} | grep -q ${keystoneUser}) || (${inDir dirs.keystone "make dev-service-user"} && cd ${infraCompose} && make openstack-catalog)")

    # Contrail's Consul and Vault data; its service user, or a clean stack when it exists.
    (controllerStep "succeed" (inDir dirs.contrail "make dev-consul-data"))
    (controllerStep "waitUntilSucceeds" (inDir dirs.contrail "make dev-vault-data"))
    (controllerStep "succeed" (
      inDir dirs.contrail "if (source ${files.adminTokenRc} && openstack user list --project service | grep -q opencontrail); then make contrail-clean; else make contrail-service-user; fi"
    ))

    # The controller services (the vrouters are the VMs of this test).
    (controllerStep "succeed" (
      inDir dirs.contrail "docker-compose -f contrail.yml up -d ${contrailServices}"
    ))
  ]
  ++ map discoveryUp [
    "ApiServer"
    "IfmapServer"
    "Collector"
    "OpServer"
  ]
  ++ [
    (controllerStep "waitUntilSucceeds" "curl -s http://localhost:8082")

    # The control container is the BGP router; then it serves XMPP to the agents.
    (controllerStep "succeed" "source ${files.adminRc} && contrail-api-cli --ns contrail_api_cli.provision add-bgp-router --router-ip ${controlIp} ${controlName}")
    (discoveryUp "xmpp-server")

    # Project default-domain:service, then the networks, the router and the vrouters.
    (controllerStep "succeed" "source ${files.adminRc} && contrail-api-cli exec ${dirs.contrail}/create_project.py")
    (controllerStep "succeed" "source ${files.adminRc} && contrail-api-cli provision -f ${files.provision}")

    # vnc_openstack answers the neutron plugin.
    (controllerStep "succeed" "${checkVncOpenstack}/bin/check-vnc_openstack")

    # Both vrouters are known to analytics, and functional.
    (controllerStep "waitUntilSucceeds" "curl -s localhost:8081/analytics/uves/vrouters | jq -e 'length == 2'")
    (controllerStep "waitUntilSucceeds" "curl -s 'localhost:8081/analytics/uves/vrouter/*?cfilt=NodeStatus:process_status' | jq -e '[.[][] | select(any(.value.NodeStatus.process_status[]; .state == \"Functional\"))] | length == 2'")

    # Namespace VMs: vm1 (vrouter1) and vm2 (vrouter2) on vn1, vm3 (vrouter2) on vn2.
    (netnsVm "vrouter1" "vn1" "vm1")
    (netnsVm "vrouter2" "vn1" "vm2")
    (netnsVm "vrouter2" "vn2" "vm3")
    (on "vrouter1" "succeed" "ip netns exec ns-vm1 ip a | grep -q 20.1.1.252")
    # Within vn1, then through the router to vn2.
    (on "vrouter1" "succeed" "ip netns exec ns-vm1 ping -c1 20.1.1.251")
    (on "vrouter1" "succeed" "ip netns exec ns-vm1 ping -c1 20.2.2.252")
    # The router's SNAT namespace is scheduled on each vrouter.
    (on "vrouter1" "waitUntilSucceeds" "ip netns | grep -q vrouter")
    (on "vrouter2" "waitUntilSucceeds" "ip netns | grep -q vrouter")
    # Out to the controller through SNAT; the first packets may be lost.
    (on "vrouter1" "waitUntilSucceeds" "ip netns exec ns-vm1 ping -c1 ${controllerIp}")
  ];

  test = cwLib.makeTest {
    name = "contrail";
    nodes = {
      inherit controller;
    }
    // lib.mapAttrs (_: vrouter) vrouters;
    testScript = cwLib.testScript steps;
  };
in
test
// {
  # The stacks and files the test uses, to build and read on their own.
  inherit infrastructure keystone stack;
  files = files // {
    vrouterAgent = lib.mapAttrs (_: files.vrouterAgent) vrouters;
  };
}
