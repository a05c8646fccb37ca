# The infra.k8s cluster in a VM (with rabbitmq.k8s, and keystone.k8s imported but off): two test
# services deployed with the k8s helpers reach each other through kube2consul and Consul DNS,
# service2 renders Consul and Vault data with consul-template, service1 logs to the host fluentd.
{
  cwLib,
  lib,
  pkgs,
  bash,
  calicoCniPlugin,
  cni_0_3_0,
  dockerImages,
  fluentdCw,
  openstackClient,
  vaulttmpfs,
  waitFor,
  service1Image,
  service2Image,
}:

let
  cwPkgs = {
    inherit
      calicoCniPlugin
      cni_0_3_0
      dockerImages
      fluentdCw
      openstackClient
      vaulttmpfs
      waitFor
      ;
  };
  image = i: "${i.imageName}:${i.imageTag}";

  manifests = {
    "service1.deployment.json" = cwLib.k8s.mkJSONDeployment {
      application = "test";
      service = "service1";
      containers = [ { image = image service1Image; } ];
    };
    "service2.deployment.json" =
      cwLib.k8s.mkJSONDeployment'
        {
          application = "test";
          service = "service2";
          vaultPolicy = "service2";
          containers = [
            {
              image = image service2Image;
              env = [
                {
                  name = "test";
                  value = "test";
                }
              ];
            }
          ];
        }
        {
          spec.template.spec.securityContext.fsGroup = 65534;
        };
    "service1.service.json" = cwLib.k8s.mkJSONService {
      application = "test";
      service = "service1";
    };
    "service2.service.json" = cwLib.k8s.mkJSONService {
      application = "test";
      service = "service2";
    };
  };

  # The options of the node, as given to the modules.
  options = {
    infra.k8s = {
      enable = true;
      externalServices.foo = {
        address = "169.254.1.100";
        port = 2222;
      };
      seedDockerImages = [
        service1Image
        service2Image
      ];
      consulData.service2 = {
        data = "foo";
      };
      vaultData."secret/service2" = {
        password = "plop";
      };
      vaultPolicies.service2 = {
        "secret/service2".policy = "read";
      };
    };
    rabbitmq.k8s = {
      enable = true;
      vhosts = [ "foo" ];
    };
  };

  master = options // {
    imports = [
      ./infra_k8s.nix
      ./rabbitmq_k8s.nix
      ./keystone_k8s.nix
    ];
    _module.args = {
      inherit cwPkgs;
      cwLibs = cwLib;
    };
    services.openssh = {
      enable = true;
      permitRootLogin = "yes";
      extraConfig = "PermitEmptyPasswords yes";
    };
    users.extraUsers.root.password = "";
    virtualisation = {
      diskSize = 10000;
      memorySize = 4096;
    };
    environment.systemPackages = [
      pkgs.jq
      pkgs.kubectl
      pkgs.docker
      pkgs.vault
      pkgs.dnsutils
      openstackClient
    ];
    environment.etc = lib.mapAttrs' (
      file: text: lib.nameValuePair "kubernetes/test/${file}" { inherit text; }
    ) manifests;
  };

  # What the modules derive from these options, for checking without the NixOS module system.
  infra = import ./infra_k8s-resources.nix {
    inherit lib cwPkgs cwLib;
    inherit (pkgs) runCommand writeText;
  };
  services = import ./k8s-services-resources.nix { inherit lib; };
  node = infra.forDomain {
    inherit (infra.defaults) domain masterIP;
    hostName = "master";
    externalServices =
      options.infra.k8s.externalServices
      // services.rabbitmq.externalServices services.rabbitmq.address options.rabbitmq.k8s.vhosts;
  };

  step = action: arg: {
    node = "master";
    ${action} = arg;
  };
  inPod =
    service: command:
    "kubectl exec $(kubectl get pod -l service=${service} -o jsonpath='{.items[0].metadata.name}') -- ${command}";

  test = cwLib.makeTest {
    name = "infra";
    nodes = { inherit master; };
    testScript = cwLib.testScript [
      (step "waitForUnit" "docker.service")
      (step "waitForUnit" "kube-bootstrap.service")
      (step "waitForUnit" "rabbitmq-bootstrap.service")
      (step "waitForUnit" "vault.service")
      (step "waitForUnit" "consul.service")
      # the external service
      (step "succeed" "grep -q foo /etc/hosts")
      # RabbitMQ
      (step "succeed" "su -s ${bash}/bin/bash rabbitmq -c 'rabbitmqctl list_users' | grep -q foo")
      (step "succeed" "curl -s consul:8500/v1/catalog/services | grep -q foo-queue")
      # Consul data
      (step "succeed" "curl -s http://consul:8500/v1/kv/service2 | jq -r '.[].Value' | base64 -d | jq -e '.data == \"foo\"'")
      # the test services
      (step "succeed" "kubectl apply -f /etc/kubernetes/test/")
      (step "waitUntilSucceeds" "kubectl get pods -l application=test | wc -l | grep -q 3")
      (step "waitUntilSucceeds" "kubectl get services | grep -q test-service1")
      # kube2consul
      (step "waitUntilSucceeds" "curl -s consul:8500/v1/catalog/services | grep -q test-service1")
      # pod networking and Consul DNS
      (step "succeed" (inPod "service1" "ping -c1 test-service2.service"))
      # consul-template with a Vault secret
      (step "waitUntilSucceeds" (
        inPod "service2" "cat /run/consul-template-wrapper/result | grep -q foo"
      ))
      (step "waitUntilSucceeds" (
        inPod "service2" "cat /run/consul-template-wrapper/result | grep -q plop"
      ))
      # fluentd forwarding
      (step "waitUntilSucceeds" "journalctl --unit fluentd --no-pager | grep -q service1")
    ];
  };
in
test
// {
  # The node's options, the test manifests and what infra.k8s and rabbitmq.k8s make of them.
  k8s = {
    inherit options manifests;
    infra = {
      inherit (node)
        hosts
        loopbackAddresses
        dnsmasqConfig
        kubeletResolvConf
        dockerDaemon
        openstackConfigMap
        stage1
        stage2
        ;
      consulServiceFiles = node.consulServiceFiles;
      vaultPostStart = infra.vaultPostStart {
        policies = options.infra.k8s.vaultPolicies;
        roles = { };
        data = options.infra.k8s.vaultData;
      };
      consulPostStart = infra.consulPostStart options.infra.k8s.consulData;
      inherit (infra) kubeBootstrap fluentdConf;
    };
    rabbitmqBootstrap = services.rabbitmq.bootstrap options.rabbitmq.k8s.vhosts;
  };
}
