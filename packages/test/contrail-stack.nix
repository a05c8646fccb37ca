# The development docker-compose stack of contrail: contrail.yml and gremlin.yml, the Makefile
# that loads their Consul and Vault data and creates the contrail service user, and the
# provisioning and check scripts. Developers copy the directory next to a running
# infrastructure stack (network dockercompose_cloudwatt, DNS 172.18.10.10); test.contrail copies
# it into its controller VM. The compose files are written as JSON, which is YAML.
{
  lib,
  runCommand,
  writeText,
}:

let
  region = "dev0";
  dns = "172.18.10.10";
  dnsSearch = "${region}.loc.cloudwatt.net";
  network = "dockercompose_cloudwatt";

  # One service of the stack: registrator names its ports after `labels`, and every service
  # reads its configuration from Consul and Vault (hence VAULT_TOKEN).
  service =
    {
      image,
      environment,
      labels,
      ports,
      depends ? [ ],
      extra ? { },
    }:
    {
      inherit
        image
        environment
        labels
        ports
        dns
        ;
      dns_search = dnsSearch;
    }
    // lib.optionalAttrs (depends != [ ]) { depends_on = depends; }
    // extra;

  # The contrail services take their application name, the region and the Vault token.
  contrailEnv =
    name: withRegion:
    [
      "application=contrail"
      "service=${name}"
      "VAULT_TOKEN=$VAULT_TOKEN"
    ]
    ++ lib.optional withRegion "openstack_region=${region}";

  # The vrouters are compute node VMs (dockerImages.contrailVrouter) that share a VDE switch.
  vrouter = name: environment: depends: {
    image = "vrouter:latest";
    inherit environment dns;
    dns_search = dnsSearch;
    labels = [ "SERVICE_NAME=opencontrail-${name}" ];
    devices = [ "/dev/kvm" ];
    depends_on = depends;
    volumes = [ "./vde-switch/:/tmp/vde/" ];
  };

  contrailYml = {
    version = "2.2";
    networks.default.external.name = network;
    services = {
      cassandra = service {
        image = "cassandra:2.1.9";
        environment = [
          "service=cassandra"
          "VAULT_TOKEN=$VAULT_TOKEN"
        ];
        labels = [
          "SERVICE_9160_NAME=opencontrail-config-cassandra"
          "SERVICE_9042_NAME=opencontrail-analytics-cassandra"
          "SERVICE_7000_IGNORE=true"
          "SERVICE_7001_IGNORE=true"
          "SERVICE_7199_IGNORE=true"
        ];
        ports = [
          "9160:9160"
          "9042:9042"
        ];
      };
      zookeeper = service {
        image = "zookeeper:3.4.11";
        environment = [
          "service=zookeeper"
          "VAULT_TOKEN=$VAULT_TOKEN"
        ];
        labels = [
          "SERVICE_2181_NAME=opencontrail-config-zookeeper"
          "SERVICE_2888_IGNORE=true"
          "SERVICE_3888_IGNORE=true"
        ];
        ports = [ "2181:2181" ];
      };
      api = service {
        image = "opencontrail/api:latest";
        environment = contrailEnv "api" true;
        labels = [
          "SERVICE_8082_NAME=opencontrail-api"
          "SERVICE_8443_NAME=opencontrail-ifmap"
          "SERVICE_8084_IGNORE=true"
        ];
        ports = [
          "8082:8082"
          "8443:8443"
          "8084"
        ];
        depends = [
          "zookeeper"
          "cassandra"
        ];
      };
      discovery = service {
        image = "opencontrail/discovery:latest";
        environment = contrailEnv "discovery" false;
        labels = [ "SERVICE_NAME=opencontrail-discovery" ];
        ports = [ "5998:5998" ];
        depends = [ "api" ];
      };
      control = service {
        image = "opencontrail/control:latest";
        environment = contrailEnv "control" false;
        labels = [
          "SERVICE_8083_NAME=opencontrail-control"
          "SERVICE_5222_IGNORE=true"
          "SERVICE_5269_IGNORE=true"
        ];
        ports = [
          "8083:8083"
          "5222:5222"
          "5269:5269"
        ];
        depends = [ "api" ];
      };
      schema = service {
        image = "opencontrail/schema-transformer:latest";
        environment = contrailEnv "schema" true;
        labels = [ "SERVICE_NAME=opencontrail-schema-transformer" ];
        ports = [ "8087:8087" ];
        depends = [ "api" ];
      };
      svc-monitor = service {
        image = "opencontrail/svc-monitor:latest";
        environment = contrailEnv "svc-monitor" true;
        labels = [ "SERVICE_NAME=opencontrail-svc-monitor" ];
        ports = [ "8088:8088" ];
        depends = [ "api" ];
      };
      analytics = service {
        image = "opencontrail/analytics:latest";
        environment = contrailEnv "analytics" true;
        labels = [
          "SERVICE_8081_NAME=opencontrail-analytics-api"
          "SERVICE_8086_NAME=opencontrail-collector"
          "SERVICE_8091_NAME=opencontrail-query-engine"
          "SERVICE_8090_IGNORE=true"
          "SERVICE_8089_IGNORE=true"
          "SERVICE_6379_IGNORE=true"
        ];
        ports = [
          "8081:8081"
          "8090:8090"
          "8086:8086"
          "8089:8089"
          "6379:6379"
          "8091:8001"
        ];
        depends = [ "api" ];
      };
      vrouter-master =
        vrouter "vrouter-master"
          [
            "application=contrail"
            "service=vrouter-master"
            "START_VDE_SWITCH=1"
            "COMPUTE_NUMBER=1"
          ]
          [ "api" ]
        // {
          ports = [ "8085:8085" ];
        };
      vrouter =
        vrouter "vrouter"
          [
            "application=contrail"
            "service=vrouter"
            "COMPUTE_NUMBER=2"
          ]
          [
            "api"
            "vrouter-master"
          ]
        // {
          ports = [ "8085" ];
        };
    };
  };

  gremlinYml = {
    version = "2";
    networks.default.external.name = network;
    services.gremlin-server = service {
      image = "gremlin/server:latest";
      environment = [
        "service=gremlin-server"
        "VAULT_TOKEN=$VAULT_TOKEN"
      ];
      labels = [ "SERVICE_8182_NAME=gremlin-server" ];
      ports = [ "8182:8182" ];
    };
  };

  # Consul key config/opencontrail/data: the log levels of the contrail services.
  consulData = {
    log_level = "SYS_INFO";
    api.log_level = "SYS_DEBUG";
    schema_transformer.log_level = "SYS_DEBUG";
  };

  # Vault secret/opencontrail: the passwords the contrail services read.
  vaultData = {
    secrets = [
      {
        path = "secret/opencontrail";
        values = {
          queue_password = "development";
          ifmap_password = "development";
          service_password = "development";
        };
      }
    ];
  };

  # Make rules: a target, its prerequisites and its recipe lines (tab-indented).
  rule =
    target: prerequisites: recipe:
    "${target}:${lib.concatMapStrings (p: " ${p}") prerequisites}\n"
    + lib.concatMapStrings (line: "\t${line}\n") recipe
    + "\n";
  # A throw-away helper container on the infrastructure network, unseen by registrator.
  helper = args: [
    "@docker run --rm --dns=${dns} --dns-search=${dnsSearch} --network=${network} -l SERVICE_IGNORE=1 ${args}"
  ];
  compose = file: args: [ "@docker-compose -f ${file} ${args}" ];

  makefile =
    "VAULT_TOKEN ?= vault-root-token\n"
    + "export VAULT_TOKEN\n\n"
    + ".PHONY: dev-consul-data dev-vault-data contrail-service-user contrail-up contrail-scale contrail-clean contrail-provision contrail-test gremlin-up gremlin-clean\n\n"
    + rule "dev-consul-data" [ ] (
      helper "-v $(CURDIR)/consul-data:/data r.cwpriv.net/consul/agent:latest load-consul-data"
    )
    + rule "dev-vault-data" [ ] (
      helper "-e VAULT_TOKEN -v $(CURDIR)/vault-data.yml:/vault-data.yml r.cwpriv.net/development/vault:latest vaultctl --vault-addr https://vault.service:8200 sync -c /vault-data.yml"
    )
    + rule "contrail-service-user" [ ] (
      helper "-e openstack_region=${region} -e VAULT_TOKEN -e OPENSTACK_TOOLS_APPLICATIONS=opencontrail r.cwpriv.net/openstack/tools:latest create-service-users opencontrail"
    )
    + rule "contrail-up" [ "dev-consul-data" "dev-vault-data" ] (compose "contrail.yml" "up")
    + rule "contrail-scale" [ "dev-consul-data" "dev-vault-data" ] (
      [ "@echo 'Recreating the services of contrail.yml with 2 api, 2 control and 2 discovery'" ]
      ++ compose "contrail.yml" "up --scale api=2 --scale control=2 --scale discovery=2"
    )
    + rule "contrail-clean" [ ] (compose "contrail.yml" "down --volumes")
    + rule "contrail-provision" [ ] [ "@./provision" ]
    + rule "contrail-test" [ ] [ "@./check-contrail" ]
    + rule "gremlin-up" [ ] (compose "gremlin.yml" "up")
    + rule "gremlin-clean" [ ] (compose "gremlin.yml" "down --volumes")
    + rule "print-%" [ ] [ "@echo '$($*)'" ];

  # Creates the project default-domain:service, which the provisioned networks belong to.
  createProject = ''
    from contrail_api_cli.resource import Resource

    domain = Resource('domain', fq_name=['default-domain']).fetch()
    Resource('project', fq_name=['default-domain', 'service'], parent=domain).save()
  '';

  # The base of the provisioning file; ./provision adds the BGP routers and vrouters.
  provisionJson = {
    name = "docker-compose";
    namespace = "contrail_api_cli.provision";
    defaults.vn.project-fqname = "default-domain:service";
    provision.vn = [
      {
        virtual-network-name = "vn1";
        subnets = [ "20.1.1.0/24" ];
      }
    ];
  };

  provision = ''
    #!/usr/bin/env bash
    # Provision the running stack: one BGP router per control container, the two compute
    # nodes, the project default-domain:service and the network vn1.
    set -euo pipefail
    cd "$(dirname "$0")"

    up() {
      curl -s localhost:5998/services.json |
        jq -e --arg type "$1" '.services[] | select(.service_type == $type and .oper_state == "up")' >/dev/null
    }
    if ! up IfmapServer; then
      echo "provision: the API server is not up in the discovery" >&2
      exit 1
    fi

    file=$(mktemp)
    trap 'rm -f "$file"' EXIT
    routers=$(curl -s localhost:8500/v1/catalog/service/opencontrail-control |
      jq '[.[] | {"router-asn": 64518, "router-ip": .ServiceAddress, "router-name": (.ServiceID | split(":") | .[1])}]')
    jq --argjson routers "$routers" '
      .provision."bgp-router" = $routers |
      .provision.vrouter = [
        {"vrouter-ip": "192.168.2.1", "vrouter-name": "compute-01"},
        {"vrouter-ip": "192.168.2.2", "vrouter-name": "compute-02"}
      ]' provision.json > "$file"
    # The container ids of the catalog become the host names the control nodes use.
    for id in $(jq -r '.provision."bgp-router"[]."router-name"' "$file"); do
      host=$(docker inspect -f '{{.Config.Hostname}}' "$id")
      jq --arg id "$id" --arg host "$host" \
        '(.provision."bgp-router"[] | select(."router-name" == $id))."router-name" = $host' \
        "$file" > "$file.new"
      mv "$file.new" "$file"
    done

    contrail-api-cli exec create_project.py
    contrail-api-cli provision -f "$file"
    echo "provision: done"
  '';

  checkContrail = ''
    #!/usr/bin/env bash
    # Check the running stack: analytics and the discovery know the same control nodes, a
    # namespace VM on each compute node reaches the other on vn1, and the control nodes and
    # API servers agree with each other.
    set -uo pipefail
    status=0
    fail() { echo "check-contrail: $*" >&2; status=1; }
    catalog() { curl -s "localhost:8500/v1/catalog/service/opencontrail-$1"; }
    remote() {
      local ip=$1; shift
      ssh -q -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "root@$ip" "$@"
    }

    in_analytics=$(curl -s localhost:8081/analytics/uves/control-nodes | jq length)
    in_discovery=$(curl -s localhost:5998/services.json |
      jq '[.services[] | select(.service_type == "xmpp-server" and .oper_state == "up")] | length')
    [ "$in_analytics" = "$in_discovery" ] ||
      fail "analytics lists $in_analytics control nodes, the discovery $in_discovery"

    n=1
    for vrouter in vrouter-master vrouter; do
      ip=$(catalog "$vrouter" | jq -r '.[0].ServiceAddress')
      remote "$ip" netns-daemon-start -n default-domain:service:vn1 -s api "vm$n" ||
        fail "no namespace VM vm$n on $vrouter"
      n=$((n + 1))
    done
    target=$(remote "$(catalog vrouter | jq -r '.[0].ServiceAddress')" \
      "ip netns exec ns-vm2 ip -4 -o addr show | awk '!/ lo /{split(\$4, a, \"/\"); print a[1]}'")
    remote "$(catalog vrouter-master | jq -r '.[0].ServiceAddress')" \
      ip netns exec ns-vm1 ping -c 2 "$target" >/dev/null ||
      fail "vm1 does not reach vm2 ($target)"

    routes() {
      curl -s "http://$1:8083/Snh_ShowRouteSummaryReq" | grep -o '<prefixes type="i32"[^>]*>[0-9]*' | sed 's/.*>//' | sort
    }
    controls=$(catalog control | jq -r '.[].ServiceAddress')
    first=""
    for ip in $controls; do
      if [ -z "$first" ]; then first=$ip; continue; fi
      [ "$(routes "$first")" = "$(routes "$ip")" ] || fail "control nodes $first and $ip have different routes"
    done
    resources() { curl -s "http://$1:8082/virtual-networks" | jq -S '[."virtual-networks"[].fq_name] | sort'; }
    apis=$(catalog api | jq -r '.[].ServiceAddress')
    first=""
    for ip in $apis; do
      if [ -z "$first" ]; then first=$ip; continue; fi
      [ "$(resources "$first")" = "$(resources "$ip")" ] || fail "API servers $first and $ip list different networks"
    done

    [ "$status" -eq 0 ] && echo "check-contrail: ok"
    exit "$status"
  '';

  files = {
    "contrail.yml" = writeText "contrail.yml" (builtins.toJSON contrailYml);
    "gremlin.yml" = writeText "gremlin.yml" (builtins.toJSON gremlinYml);
    "Makefile" = writeText "Makefile" makefile;
    "consul-data/consul-config_opencontrail_data.json" =
      writeText "consul-config_opencontrail_data.json" (builtins.toJSON consulData);
    "vault-data.yml" = writeText "vault-data.yml" (builtins.toJSON vaultData);
    "create_project.py" = writeText "create_project.py" createProject;
    "provision.json" = writeText "provision.json" (builtins.toJSON provisionJson);
    "provision" = writeText "provision" provision;
    "check-contrail" = writeText "check-contrail" checkContrail;
  };
in
runCommand "contrail-docker-compose" { } (
  ''
    mkdir -p "$out/consul-data"
  ''
  + lib.concatStrings (
    lib.mapAttrsToList (path: file: ''
      cp ${file} "$out/${path}"
    '') files
  )
  + ''
    chmod +x "$out/provision" "$out/check-contrail"
  ''
)
