# NixOS module `keystone.k8s`: Keystone (API and admin API) deployed in the infra.k8s cluster
# on a MySQL database of mysql.k8s, then provisioned with a catalog, roles, projects and users.
# Module arguments: `cwPkgs` and `cwLibs`, as for infra_k8s.nix.
{
  config,
  lib,
  pkgs,
  cwPkgs,
  cwLibs,
  ...
}:

let
  cfg = config.keystone.k8s;
  resources = import ./keystone_k8s-resources.nix {
    inherit lib;
    cwLib = cwLibs;
  };
  keystone = resources.forDomain config.infra.k8s.domain;
in
{
  imports = [
    ./infra_k8s.nix
    ./mysql_k8s.nix
  ];

  options.keystone.k8s = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = "Deploy and provision Keystone in the cluster.";
    };
    projects = lib.mkOption {
      type = lib.types.attrs;
      default = { };
      description = "Projects to create, `{ name = { users = { user = { password; roles; }; }; }; }`, besides `openstack`.";
    };
    roles = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = resources.defaultRoles;
      description = "Roles to create.";
    };
    catalog = lib.mkOption {
      type = lib.types.attrs;
      default = { };
      description = "Catalog entries, `{ type = { name; admin_url; internal_url; public_url; }; }`, besides `identity`.";
    };
  };

  config = lib.mkIf cfg.enable (
    let
      catalog = keystone.defaultCatalog // cfg.catalog;
      infra = keystone.infra catalog;
    in
    {
      infra.k8s = {
        seedDockerImages = [ cwPkgs.dockerImages.pulled.keystoneAllImage ];
        inherit (infra)
          consulData
          vaultData
          vaultRoles
          vaultPolicies
          ;
      };

      mysql.k8s = {
        enable = true;
        aliases = [ "keystone-db" ];
        databases.keystone = {
          user = "keystone";
          password = resources.password;
        };
      };

      environment.etc =
        lib.mapAttrs' (
          file: text: lib.nameValuePair "kubernetes/keystone/${file}" { inherit text; }
        ) keystone.manifests
        // {
          "openstack/admin-token.openrc".text = keystone.adminTokenOpenrc;
          "openstack/admin.openrc".text = keystone.adminOpenrc;
        };

      environment.systemPackages = [ cwPkgs.openstackClient ];

      systemd.services.keystone = {
        wantedBy = [ "kubernetes.target" ];
        after = [
          "kube-bootstrap.service"
          "mysql-bootstrap.service"
        ];
        path = [
          pkgs.kubectl
          cwPkgs.openstackClient
          cwPkgs.waitFor
        ];
        serviceConfig = {
          Type = "oneshot";
          RemainAfterExit = true;
        };
        script = "kubectl apply -f /etc/kubernetes/keystone/";
        postStart = keystone.provision {
          inherit catalog;
          inherit (cfg) roles;
          projects = keystone.defaultProjects // cfg.projects;
        };
      };
    }
  );
}
