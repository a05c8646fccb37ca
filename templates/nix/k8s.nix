# Kubernetes objects as Nix sets and JSON text: the Deployment and Service of an application's
# service, and HTTP probes. Written for the test modules of packages/test/ (k8s clusters in VMs).
{ pkgs }:

let
  inherit (pkgs) lib;

  # Recursive update where two lists are joined (left, then right) instead of replaced.
  mergeConcat =
    left: right:
    left
    // builtins.mapAttrs (
      name: r:
      let
        l = left.${name};
      in
      if !(left ? ${name}) then
        r
      else if builtins.isList l && builtins.isList r then
        l ++ r
      else if builtins.isAttrs l && builtins.isAttrs r && !lib.isDerivation l && !lib.isDerivation r then
        mergeConcat l r
      else
        r
    ) right;

  mkHTTPGetProbe = path: port: initial: period: timeout: {
    httpGet = { inherit path port; };
    initialDelaySeconds = initial;
    periodSeconds = period;
    timeoutSeconds = timeout;
  };

  mkDeployment =
    {
      application,
      service,
      replicas ? 1,
      port ? 0,
      vaultPolicy ? "",
      containers,
      volumes ? [ ],
    }:
    let
      name = "${application}-${service}";
      withVault = vaultPolicy != "";
      container = {
        inherit name;
        imagePullPolicy = "IfNotPresent";
        env = [
          {
            name = "openstack_region";
            valueFrom.configMapKeyRef = {
              name = "openstack";
              key = "region";
            };
          }
          {
            name = "application";
            value = application;
          }
          {
            name = "service";
            value = service;
          }
        ];
        volumeMounts = [
          {
            name = "config";
            mountPath = "/run/consul-template-wrapper";
          }
        ]
        ++ lib.optional withVault {
          name = "vault-token";
          mountPath = "/run/vault-token";
        };
      }
      // lib.optionalAttrs (port != 0) { ports = [ { containerPort = port; } ]; };
      templateVolumes = [
        {
          name = "config";
          emptyDir = { };
        }
      ]
      ++ lib.optional withVault {
        name = "vault-token";
        flexVolume = {
          driver = "cloudwatt/vaulttmpfs";
          options."vault/policies" = vaultPolicy;
        };
      };
    in
    {
      apiVersion = "extensions/v1beta1";
      kind = "Deployment";
      metadata.name = name;
      spec = {
        inherit replicas;
        template = {
          metadata.labels = { inherit application service; };
          spec = {
            dnsPolicy = "Default";
            terminationGracePeriodSeconds = 1200;
            containers = map (mergeConcat container) containers;
            volumes = templateVolumes ++ volumes;
          };
        };
      };
    };

  mkDeployment' = args: override: mergeConcat (mkDeployment args) override;

  mkService =
    {
      application,
      service,
      selector ? { },
    }:
    {
      apiVersion = "v1";
      kind = "Service";
      metadata.name = "${application}-${service}";
      spec = {
        clusterIP = null;
        ports = [ { port = 1; } ];
        selector = if selector == { } then { inherit application service; } else selector;
      };
    };
in
{
  k8s = {
    inherit
      mergeConcat
      mkHTTPGetProbe
      mkDeployment
      mkDeployment'
      mkService
      ;
    mkJSONDeployment = args: builtins.toJSON (mkDeployment args);
    mkJSONDeployment' = args: override: builtins.toJSON (mkDeployment' args override);
    mkJSONService = args: builtins.toJSON (mkService args);
  };
}
