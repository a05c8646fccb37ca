# NixOS module `infra.k8s`: a one-node Kubernetes cluster (master and node) with etcd over TLS,
# Calico networking, a development Vault and Consul, dnsmasq forwarding the Consul domains, a
# host fluentd, the vaulttmpfs flexvolume driver and kube2consul. Module arguments: `cwPkgs`
# (packages of this set) and `cwLibs` (its helper library). For nixpkgs 18.03's kubernetes
# module.
{
  config,
  lib,
  pkgs,
  cwPkgs,
  cwLibs,
  ...
}:

let
  cfg = config.infra.k8s;
  hostName = config.networking.hostName;

  resources = import ./infra_k8s-resources.nix {
    inherit lib cwPkgs;
    cwLib = cwLibs;
    inherit (pkgs) runCommand writeText;
  };
  node = resources.forDomain {
    inherit (cfg) domain masterIP externalServices;
    inherit hostName;
  };

  certs = import (pkgs.path + "/nixos/tests/kubernetes/certs.nix") {
    inherit pkgs;
    internalDomain = cfg.domain;
    externalDomain = cfg.domain;
    kubelets = [ hostName ];
  };
  master = file: "${certs.master}/${file}";
  worker = file: "${certs.worker}/${file}";
  kubeletClient = {
    certFile = worker "apiserver-client-kubelet-${hostName}.pem";
    keyFile = worker "apiserver-client-kubelet-${hostName}-key.pem";
  };
  etcdTls = {
    caFile = master "ca.pem";
    certFile = master "etcd.pem";
    keyFile = master "etcd-key.pem";
  };

  json = value: builtins.toJSON value;
  attrsOption =
    description:
    lib.mkOption {
      type = lib.types.attrsOf lib.types.attrs;
      default = { };
      inherit description;
    };
in
{
  options.infra.k8s = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = "Run the Kubernetes test infrastructure on this node.";
    };
    domain = lib.mkOption {
      type = lib.types.str;
      default = resources.defaults.domain;
      description = "Domain of the cluster; its first label is the region.";
    };
    masterIP = lib.mkOption {
      type = lib.types.str;
      default = resources.defaults.masterIP;
      description = "IP address of this node.";
    };
    seedDockerImages = lib.mkOption {
      type = lib.types.listOf lib.types.package;
      default = [ ];
      description = "Further Docker images loaded by the kubelet at start.";
    };
    externalServices = attrsOption ''
      Services of the host given to the cluster, `{ name = { address; port; }; }`: the address is
      added to the loopback interface, `<name>.localdomain` resolves to it, and the service is
      registered in Consul.
    '';
    consulData = attrsOption "Consul keys and their values, PUT as JSON at start.";
    vaultData = attrsOption "Vault paths and their values, written at start.";
    vaultPolicies = attrsOption "Vault policies, `{ name = { path = rules; }; }`, over the default ones.";
    vaultRoles = attrsOption "Vault token roles, over the default ones.";
  };

  config = lib.mkIf cfg.enable {
    networking = {
      firewall.enable = false;
      inherit (cfg) domain;
      hosts = node.hosts;
      interfaces.lo.ipv4.addresses = node.loopbackAddresses;
    };

    services.etcd = {
      enable = true;
      inherit (etcdTls) certFile keyFile;
      trustedCaFile = etcdTls.caFile;
      peerClientCertAuth = false;
      listenClientUrls = [ "https://0.0.0.0:2379" ];
      listenPeerUrls = [ "https://0.0.0.0:2380" ];
      advertiseClientUrls = [ "https://etcd.${cfg.domain}:2379" ];
      initialCluster = [ "${hostName}=https://etcd.${cfg.domain}:2380" ];
      initialAdvertisePeerUrls = [ "https://etcd.${cfg.domain}:2380" ];
    };

    services.dnsmasq = {
      enable = true;
      extraConfig = node.dnsmasqConfig;
    };

    services.kubernetes = {
      roles = [
        "master"
        "node"
      ];
      clusterCidr = "10.1.0.0/16";
      caFile = master "ca.pem";
      etcd = {
        servers = [ node.etcdEndpoints ];
        certFile = worker "etcd-client.pem";
        keyFile = worker "etcd-client-key.pem";
      };
      apiserver = {
        tlsCertFile = master "kube-apiserver.pem";
        tlsKeyFile = master "kube-apiserver-key.pem";
        kubeletClientCertFile = master "kubelet-client.pem";
        kubeletClientKeyFile = master "kubelet-client-key.pem";
        serviceAccountKeyFile = master "kube-service-accounts.pem";
        # the PodPreset API
        runtimeConfig = "authentication.k8s.io/v1beta1=true,settings.k8s.io/v1alpha1=true";
        admissionControl = [
          "NamespaceLifecycle"
          "LimitRanger"
          "ServiceAccount"
          "ResourceQuota"
          "DefaultStorageClass"
          "DefaultTolerationSeconds"
          "NodeRestriction"
          "PodPreset"
        ];
      };
      kubeconfig.server = "https://api.${cfg.domain}";
      kubelet = {
        tlsCertFile = worker "kubelet.pem";
        tlsKeyFile = worker "kubelet-key.pem";
        hostname = "${hostName}.${cfg.domain}";
        kubeconfig = kubeletClient;
        networkPlugin = "cni";
        cni = {
          packages = [
            cwPkgs.cni_0_3_0
            cwPkgs.calicoCniPlugin
          ];
          config = node.cniConfig (
            etcdTls
            // {
              kubeconfig = pkgs.writeText "cni-kubeconfig" (
                json (node.cniKubeconfig (kubeletClient // { inherit (etcdTls) caFile; }))
              );
            }
          );
        };
        extraOpts = "--resolv-conf=/etc/kubernetes/kubelet/resolv.conf --volume-plugin-dir=/etc/kubernetes/volumeplugins";
        seedDockerImages = [
          cwPkgs.dockerImages.kube2consulWorker
          cwPkgs.dockerImages.pulled.calicoNodeImage
          cwPkgs.dockerImages.calicoKubeControllers
        ]
        ++ cfg.seedDockerImages;
      };
      controllerManager = {
        serviceAccountKeyFile = master "kube-service-accounts-key.pem";
        kubeconfig = {
          certFile = master "apiserver-client-kube-controller-manager.pem";
          keyFile = master "apiserver-client-kube-controller-manager-key.pem";
        };
      };
      scheduler.kubeconfig = {
        certFile = master "apiserver-client-kube-scheduler.pem";
        keyFile = master "apiserver-client-kube-scheduler-key.pem";
      };
      proxy.enable = false;
      addonManager.enable = false;
      addons.dns.enable = false;
    };

    systemd.services.kubelet = {
      # the vaulttmpfs flexvolume driver creates application tokens with this token
      environment = {
        VAULTTMPFS_GENERATOR_TOKEN_PATH = "${pkgs.writeText "vaulttmpfs-token" resources.vault.vaultTmpfsToken}";
        VAULT_WRAP_TTL = "5m";
        VAULT_ADDR = resources.vault.vaultAddr;
      };
      serviceConfig = {
        CPUAccounting = true;
        MemoryAccounting = true;
      };
    };

    systemd.services.vault = {
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" ];
      # vault runs getent (glibc)
      path = [
        pkgs.vault
        pkgs.glibc
        cwPkgs.waitFor
      ];
      script = "vault server -dev -dev-listen-address=169.254.1.13:8200 -dev-root-token-id=${resources.vault.vaultRootToken}";
      postStart = resources.vaultPostStart {
        policies = cfg.vaultPolicies;
        roles = cfg.vaultRoles;
        data = cfg.vaultData;
      };
    };

    systemd.services.fluentd = {
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      script = "${cwPkgs.fluentdCw}/bin/fluentd --no-supervisor -q -c ${resources.fluentdConf}";
    };

    systemd.services.consul = {
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" ];
      path = [
        pkgs.consul
        pkgs.curl
        cwPkgs.waitFor
      ];
      script = "consul agent -dev -log-level info -client 169.254.1.11 -domain ${cfg.domain} -config-dir /etc/consul.d";
      postStart = resources.consulPostStart cfg.consulData;
    };

    systemd.services.kube-bootstrap = {
      wantedBy = [ "kubernetes.target" ];
      after = [
        "vault.service"
        "consul.service"
        "kube-apiserver.service"
        "kubelet-bootstrap.service"
      ];
      path = [
        pkgs.kubectl
        pkgs.docker
        cwPkgs.waitFor
      ];
      serviceConfig = {
        Type = "oneshot";
        RemainAfterExit = true;
      };
      script = resources.kubeBootstrap;
    };

    environment.etc = {
      "docker/daemon.json".text = json node.dockerDaemon;
      "kubernetes/kubelet/resolv.conf".text = node.kubeletResolvConf;
      "kubernetes/openstack/configmap.yml".text = node.openstackConfigMap;
      "kubernetes/infra/stage1/pod-preset.json".text = json node.stage1.podPreset;
      "kubernetes/infra/stage1/calico-config-map.json".text = json node.stage1.calicoConfigMap;
      "kubernetes/infra/stage1/calico-secrets.json".source = node.calicoSecrets etcdTls;
      "kubernetes/infra/stage1/calico-node.serviceaccount.json".text =
        json node.stage1.calicoNodeServiceAccount;
      "kubernetes/infra/stage1/calico-kube-controllers.serviceaccount.json".text =
        json node.stage1.calicoKubeControllersServiceAccount;
      "kubernetes/infra/stage1/calico-node.daemonset.json".text = json node.stage1.calicoNodeDaemonSet;
      "kubernetes/infra/stage1/calico-kube-controllers.deployment.json".text =
        json node.stage1.calicoKubeControllersDeployment;
      "kubernetes/infra/stage2/kube2consul.json".text = json node.stage2.kube2consulDeployment;
      # the kubelet finds flexvolume drivers under --volume-plugin-dir, as <vendor>~<driver>/<driver>
      "kubernetes/volumeplugins/cloudwatt~vaulttmpfs/vaulttmpfs".source =
        "${cwPkgs.vaulttmpfs}/bin/kubernetes-flexvolume-vault-plugin";
    }
    // node.consulServiceFiles;

    environment.systemPackages = [
      pkgs.jq
      pkgs.kubectl
      pkgs.docker
      pkgs.vault
    ];
    environment.variables = {
      TERM = "xterm";
      VAULT_ADDR = resources.vault.vaultAddr;
    };
  };
}
