# What the infra.k8s module (infra_k8s.nix) puts on the node, as plain values of the cluster
# domain and the host name: host entries, DNS and kubelet files, the Kubernetes manifests of
# stages 1 and 2, the fluentd configuration and the Vault and Consul provisioning scripts.
# Kept apart from the module so that it evaluates without the NixOS module system.
{
  lib,
  cwLib,
  cwPkgs,
  runCommand,
  writeText,
}:

let
  inherit (cwLib.k8s) mkHTTPGetProbe;

  vaultAddr = "http://vault.localdomain:8200";
  vaultRootToken = "development";
  vaultTmpfsToken = "vaulttmpfs";
  clusterCidr = "10.1.0.0/16";

  crud = [
    "create"
    "read"
    "update"
    "delete"
    "list"
  ];

  # `path "<path>" { <key> = <JSON value> ... }` blocks of one Vault policy.
  renderPolicy =
    paths:
    lib.concatMapStrings (
      path:
      "path ${builtins.toJSON path} {\n"
      + lib.concatMapStrings (key: "  ${key} = ${builtins.toJSON paths.${path}.${key}}\n") (
        builtins.attrNames paths.${path}
      )
      + "}\n"
    ) (builtins.attrNames paths);

  # A file name for a Vault or Consul path.
  fileName = path: lib.replaceStrings [ "/" ] [ "_" ] path;

  configMapKey = key: {
    valueFrom.configMapKeyRef = {
      name = "calico-config";
      inherit key;
    };
  };
  etcdFileEnv = [
    ({ name = "ETCD_CA_CERT_FILE"; } // configMapKey "etcd_ca")
    ({ name = "ETCD_KEY_FILE"; } // configMapKey "etcd_key")
    ({ name = "ETCD_CERT_FILE"; } // configMapKey "etcd_cert")
  ];
  calicoSecretsVolume = {
    name = "etcd-certs";
    secret = {
      secretName = "calico-etcd-secrets";
      defaultMode = 256; # 0400
    };
  };
  calicoSecretsMount = {
    name = "etcd-certs";
    mountPath = "/calico-secrets";
  };
  criticalPod = {
    "scheduler.alpha.kubernetes.io/critical-pod" = "";
  };
in
rec {
  defaults = {
    domain = "dev0.loc.cloudwatt.net";
    masterIP = "192.168.1.1";
  };

  vault = {
    inherit vaultAddr vaultRootToken vaultTmpfsToken;
    defaultData = {
      "secret/kube2consul" = {
        consul_token = "dummy";
      };
    };
    defaultPolicies = {
      admin = {
        "*".capabilities = crud ++ [ "sudo" ];
      };
      applications_token_creator = {
        "auth/token/create/applications".capabilities = crud;
        "auth/token/roles".capabilities = [
          "read"
          "list"
        ];
        "auth/token/roles/applications".capabilities = [ "read" ];
      };
      kube2consul = {
        "secret/kube2consul".policy = "read";
      };
    };
    defaultRoles = {
      applications = {
        disallowed_policies = "admin";
        explicit_max_ttl = 0;
        name = "applications";
        orphan = true;
        path_suffix = "";
        period = "1h";
        renewable = true;
      };
    };
    inherit renderPolicy;
  };

  # The shell lines run after Vault starts: policies, token roles and data (each merged over the
  # defaults), then the token the vaulttmpfs flexvolume driver creates application tokens with.
  vaultPostStart =
    {
      policies,
      roles,
      data,
    }:
    let
      allPolicies = lib.recursiveUpdate vault.defaultPolicies policies;
      writePaths =
        prefix: values:
        lib.concatMapStrings (
          path:
          let
            file = writeText "${fileName (prefix + path)}.json" (builtins.toJSON values.${path});
          in
          "cat ${file} | vault write ${prefix}${path} -\n"
        ) (builtins.attrNames values);
    in
    ''
      wait-for vault.localdomain:8200 -q
      # the development server unseals itself
      sleep 5
      export VAULT_ADDR=${vaultAddr}
    ''
    + lib.concatMapStrings (
      name: "vault policy write ${name} - <<'EOF'\n${renderPolicy allPolicies.${name}}EOF\n"
    ) (builtins.attrNames allPolicies)
    + writePaths "auth/token/roles/" (vault.defaultRoles // roles)
    + writePaths "" (vault.defaultData // data)
    + ''
      vault token create -orphan -period=86400 -renewable=true -policy=applications_token_creator -metadata="applications=kubernetes-flexvolume-vault-plugin" -id ${vaultTmpfsToken}
    '';

  # The shell lines run after Consul starts: every key of consulData PUT as JSON.
  consulPostStart =
    consulData:
    "wait-for consul.localdomain:8500 -q\n"
    + lib.concatMapStrings (
      path:
      let
        file = writeText "${fileName path}.json" (builtins.toJSON consulData.${path});
      in
      "curl -X PUT -d @${file} http://consul.localdomain:8500/v1/kv/${path}\n"
    ) (builtins.attrNames consulData);

  kubeBootstrap = ''
    wait-for localhost:8080 -q -t 300
    # every account is cluster admin
    kubectl create clusterrolebinding permissive-binding \
      --clusterrole=cluster-admin \
      --user=admin \
      --user=kubelet \
      --group=system:serviceaccounts
    kubectl apply -f /etc/kubernetes/openstack
    kubectl apply -f /etc/kubernetes/infra/stage1
    while [ "$(kubectl --namespace kube-system get pods --field-selector=status.phase=Running 2>/dev/null | wc -l)" -ne 3 ]; do
      echo "Waiting for calico..."
      sleep 1
    done
    kubectl apply -f /etc/kubernetes/infra/stage2
  '';

  fluentdConf = writeText "fluentd.conf" ''
    <source>
      @type forward
      bind 169.254.1.14
      port 24224
    </source>
    <match **>
      @type stdout
    </match>
  '';

  # The Consul service definition of an external service.
  consulService = name: service: {
    service = {
      inherit name;
      inherit (service) port address;
    };
  };

  forDomain =
    {
      domain,
      hostName,
      masterIP,
      externalServices ? { },
    }:
    let
      region = builtins.head (lib.splitString "." domain);
      etcdEndpoints = "https://etcd.${domain}:2379";
    in
    rec {
      inherit region etcdEndpoints;

      hosts = {
        "127.0.2.1" = [
          "etcd.${domain}"
          "etcd"
        ];
        "169.254.1.10" = [
          "resolver.localdomain"
          "resolver"
        ];
        "169.254.1.11" = [
          "consul.localdomain"
          "consul"
        ];
        "169.254.1.12" = [
          "api.localdomain"
          "api.${domain}"
          "api"
        ];
        "169.254.1.13" = [
          "vault.localdomain"
          "vault"
        ];
        "169.254.1.14" = [
          "fluentd.localdomain"
          "fluentd"
        ];
        ${masterIP} = [
          "${hostName}.${domain}"
          hostName
        ];
      }
      // lib.mapAttrs' (
        name: service:
        lib.nameValuePair service.address [
          "${name}.localdomain"
          name
        ]
      ) externalServices;

      loopbackAddresses =
        map
          (address: {
            inherit address;
            prefixLength = 32;
          })
          (
            [
              "169.254.1.10"
              "169.254.1.11"
              "169.254.1.12"
              "169.254.1.13"
              "169.254.1.14"
            ]
            ++ lib.mapAttrsToList (_: service: service.address) externalServices
          );

      dnsmasqConfig = ''
        bind-interfaces
        no-negcache
        server=/localdomain/
        server=/node.${domain}/169.254.1.11#8600
        server=/query.${domain}/169.254.1.11#8600
        server=/service.${domain}/169.254.1.11#8600
      '';

      kubeletResolvConf = ''
        search ${domain}
        nameserver 169.254.1.10
        options timeout:1
      '';

      dockerDaemon = {
        dns-opts = [ "ndots:2" ];
      };

      openstackConfigMap = ''
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: openstack
          namespace: default
        data:
          region: ${region}
      '';

      # The Calico CNI configurations; `files` names the etcd TLS files and the kubeconfig.
      cniConfig =
        {
          caFile,
          certFile,
          keyFile,
          kubeconfig,
        }:
        [
          {
            name = "calico-k8s-network";
            cniVersion = "0.3.0";
            type = "calico";
            etcd_endpoints = etcdEndpoints;
            etcd_key_file = keyFile;
            etcd_cert_file = certFile;
            etcd_ca_cert_file = caFile;
            log_level = "INFO";
            ipam.type = "calico-ipam";
            policy.type = "k8s";
            kubernetes.kubeconfig = kubeconfig;
          }
          {
            name = "loopback";
            cniVersion = "0.3.0";
            type = "loopback";
          }
        ];

      # The kubeconfig of the CNI plugin, for the user kubelet.
      cniKubeconfig =
        {
          caFile,
          certFile,
          keyFile,
        }:
        {
          apiVersion = "v1";
          kind = "Config";
          clusters = [
            {
              name = "local";
              cluster = {
                certificate-authority = caFile;
                server = "https://api.${domain}";
              };
            }
          ];
          users = [
            {
              name = "kubelet";
              user = {
                client-certificate = certFile;
                client-key = keyFile;
              };
            }
          ];
          contexts = [
            {
              name = "kubelet-context";
              context = {
                cluster = "local";
                user = "kubelet";
              };
            }
          ];
          current-context = "kubelet-context";
        };

      stage1 = {
        podPreset = {
          apiVersion = "settings.k8s.io/v1alpha1";
          kind = "PodPreset";
          metadata.name = "vault-config";
          spec = {
            selector = { };
            env = [
              {
                name = "VAULT_ADDR";
                value = vaultAddr;
              }
              {
                name = "CONSUL_LOG_LEVEL";
                value = "debug";
              }
              {
                name = "no_proxy";
                value = "*";
              }
            ];
          };
        };

        calicoConfigMap = {
          apiVersion = "v1";
          kind = "ConfigMap";
          metadata = {
            name = "calico-config";
            namespace = "kube-system";
          };
          data = {
            etcd_ca = "/calico-secrets/etcd-ca";
            etcd_cert = "/calico-secrets/etcd-cert";
            etcd_key = "/calico-secrets/etcd-key";
            calico_backend = "bird";
          };
        };

        calicoNodeServiceAccount = {
          apiVersion = "v1";
          kind = "ServiceAccount";
          metadata = {
            name = "calico-node";
            namespace = "kube-system";
          };
        };

        calicoKubeControllersServiceAccount = {
          apiVersion = "v1";
          kind = "ServiceAccount";
          metadata = {
            name = "calico-kube-controllers";
            namespace = "kube-system";
          };
        };

        calicoNodeDaemonSet = {
          apiVersion = "extensions/v1beta1";
          kind = "DaemonSet";
          metadata = {
            name = "calico-node";
            namespace = "kube-system";
            labels.k8s-app = "calico-node";
          };
          spec = {
            selector.matchLabels.k8s-app = "calico-node";
            updateStrategy = {
              type = "RollingUpdate";
              rollingUpdate.maxUnavailable = 1;
            };
            template = {
              metadata = {
                labels.k8s-app = "calico-node";
                annotations = criticalPod;
              };
              spec = {
                hostNetwork = true;
                tolerations = [
                  {
                    effect = "NoSchedule";
                    operator = "Exists";
                  }
                  {
                    key = "CriticalAddonsOnly";
                    operator = "Exists";
                  }
                  {
                    effect = "NoExecute";
                    operator = "Exists";
                  }
                ];
                serviceAccountName = "calico-node";
                terminationGracePeriodSeconds = 0;
                containers = [
                  {
                    name = "calico-node";
                    image = "quay.io/calico/node:v3.1.3";
                    imagePullPolicy = "IfNotPresent";
                    securityContext.privileged = true;
                    env = [
                      {
                        name = "ETCD_ENDPOINTS";
                        value = etcdEndpoints;
                      }
                      ({ name = "CALICO_NETWORKING_BACKEND"; } // configMapKey "calico_backend")
                      {
                        name = "CLUSTER_TYPE";
                        value = "k8s,bgp";
                      }
                      {
                        name = "CALICO_DISABLE_FILE_LOGGING";
                        value = "true";
                      }
                      {
                        name = "CALICO_K8S_NODE_REF";
                        valueFrom.fieldRef.fieldPath = "spec.nodeName";
                      }
                      {
                        name = "FELIX_DEFAULTENDPOINTTOHOSTACTION";
                        value = "ACCEPT";
                      }
                      {
                        name = "CALICO_IPV4POOL_CIDR";
                        value = clusterCidr;
                      }
                      {
                        name = "CALICO_IPV4POOL_IPIP";
                        value = "Always";
                      }
                      {
                        name = "FELIX_IPV6SUPPORT";
                        value = "false";
                      }
                      {
                        name = "FELIX_LOGSEVERITYSCREEN";
                        value = "info";
                      }
                      {
                        name = "FELIX_IPINIPMTU";
                        value = "1440";
                      }
                    ]
                    ++ etcdFileEnv
                    ++ [
                      {
                        name = "IP";
                        value = "autodetect";
                      }
                      {
                        name = "FELIX_HEALTHENABLED";
                        value = "true";
                      }
                    ];
                    livenessProbe = {
                      httpGet = {
                        path = "/liveness";
                        port = 9099;
                      };
                      periodSeconds = 10;
                      initialDelaySeconds = 10;
                      failureThreshold = 6;
                    };
                    readinessProbe = {
                      httpGet = {
                        path = "/readiness";
                        port = 9099;
                      };
                      periodSeconds = 10;
                    };
                    volumeMounts = [
                      {
                        name = "lib-modules";
                        mountPath = "/lib/modules";
                        readOnly = true;
                      }
                      {
                        name = "var-run-calico";
                        mountPath = "/var/run/calico";
                      }
                      {
                        name = "var-lib-calico";
                        mountPath = "/var/lib/calico";
                      }
                      calicoSecretsMount
                    ];
                  }
                ];
                volumes = [
                  {
                    name = "lib-modules";
                    hostPath.path = "/lib/modules";
                  }
                  {
                    name = "var-run-calico";
                    hostPath.path = "/var/run/calico";
                  }
                  {
                    name = "var-lib-calico";
                    hostPath.path = "/var/lib/calico";
                  }
                  calicoSecretsVolume
                ];
              };
            };
          };
        };

        calicoKubeControllersDeployment = {
          apiVersion = "extensions/v1beta1";
          kind = "Deployment";
          metadata = {
            name = "calico-kube-controllers";
            namespace = "kube-system";
            labels.k8s-app = "calico-kube-controllers";
            annotations = criticalPod;
          };
          spec = {
            replicas = 1;
            strategy.type = "Recreate";
            template = {
              metadata = {
                name = "calico-kube-controllers";
                namespace = "kube-system";
                labels.k8s-app = "calico-kube-controllers";
              };
              spec = {
                hostNetwork = true;
                tolerations = [
                  {
                    key = "CriticalAddonsOnly";
                    operator = "Exists";
                  }
                  {
                    key = "node-role.kubernetes.io/master";
                    effect = "NoSchedule";
                  }
                ];
                serviceAccountName = "calico-kube-controllers";
                securityContext.fsGroup = 65534;
                containers = [
                  {
                    name = "calico-kube-controllers";
                    image = "calico/kube-controllers:${cwPkgs.dockerImages.calicoKubeControllers.imageTag}";
                    imagePullPolicy = "IfNotPresent";
                    env = [
                      {
                        name = "ETCD_ENDPOINTS";
                        value = etcdEndpoints;
                      }
                    ]
                    ++ etcdFileEnv
                    ++ [
                      {
                        name = "ENABLED_CONTROLLERS";
                        value = "policy,profile,workloadendpoint,node";
                      }
                      {
                        name = "KUBERNETES_SERVICE_HOST";
                        value = "api.${domain}";
                      }
                    ];
                    volumeMounts = [ calicoSecretsMount ];
                  }
                ];
                volumes = [ calicoSecretsVolume ];
              };
            };
          };
        };
      };

      # The Secret with the etcd CA, certificate and key of Calico, base64-encoded from their
      # files at build time.
      calicoSecrets =
        {
          caFile,
          certFile,
          keyFile,
        }:
        runCommand "calico-secrets.json" { } ''
          cat > "$out" <<EOF
          {"apiVersion":"v1","kind":"Secret","type":"Opaque","metadata":{"name":"calico-etcd-secrets","namespace":"kube-system"},"data":{"etcd-ca":"$(base64 -w0 ${caFile})","etcd-cert":"$(base64 -w0 ${certFile})","etcd-key":"$(base64 -w0 ${keyFile})"}}
          EOF
        '';

      stage2 = {
        kube2consulDeployment = {
          apiVersion = "extensions/v1beta1";
          kind = "Deployment";
          metadata.name = "kube2consul-worker";
          spec = {
            replicas = 1;
            template = {
              metadata.labels = {
                application = "kube2consul";
                service = "worker";
              };
              spec = {
                dnsPolicy = "Default";
                securityContext.fsGroup = 65534;
                containers = [
                  {
                    name = "kube2consul-worker";
                    image = "${cwPkgs.dockerImages.kube2consulWorker.imageName}:${cwPkgs.dockerImages.kube2consulWorker.imageTag}";
                    imagePullPolicy = "IfNotPresent";
                    env = [
                      {
                        name = "KUBERNETES_SERVICE_HOST";
                        value = "api.${domain}";
                      }
                      {
                        name = "KUBERNETES_SERVICE_PORT";
                        value = "443";
                      }
                      {
                        name = "K2C_CONSUL_API";
                        value = "consul.localdomain:8500";
                      }
                      {
                        name = "K2C_LOGTOSTDERR";
                        value = "true";
                      }
                    ];
                    livenessProbe = mkHTTPGetProbe "/health" 8080 10 30 15;
                    volumeMounts = [
                      {
                        name = "vault-token";
                        mountPath = "/run/vault-token";
                      }
                      {
                        name = "config";
                        mountPath = "/run/consul-template-wrapper";
                      }
                    ];
                  }
                ];
                volumes = [
                  {
                    name = "vault-token";
                    flexVolume = {
                      driver = "cloudwatt/vaulttmpfs";
                      options."vault/policies" = "kube2consul";
                    };
                  }
                  {
                    name = "config";
                    emptyDir = { };
                  }
                ];
              };
            };
          };
        };
      };

      consulServiceFiles = lib.mapAttrs' (
        name: service:
        lib.nameValuePair "consul.d/${name}.json" {
          text = builtins.toJSON (consulService name service);
        }
      ) externalServices;
    };
}
