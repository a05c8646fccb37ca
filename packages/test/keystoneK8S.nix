# keystone.k8s in a VM: Keystone runs in the infra.k8s cluster, registers its two services in
# Consul, and is provisioned with a further role, a project with its user and a catalog entry.
{
  cwLib,
  lib,
  pkgs,
  calicoCniPlugin,
  cni_0_3_0,
  dockerImages,
  fluentdCw,
  openstackClient,
  vaulttmpfs,
  waitFor,
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
  domain = "dev0.loc.cloudwatt.net";
  fooUrl = "http://foo.service.${domain}:4444/v2.0";

  # The options of the node, as given to the modules.
  options = {
    keystone.k8s = {
      enable = true;
      roles = [
        "admin"
        "Member"
        "test"
      ];
      projects.test.users.test = {
        password = "test";
        roles = [
          "admin"
          "test"
        ];
      };
      catalog.foo = {
        name = "foo";
        admin_url = fooUrl;
        internal_url = fooUrl;
        public_url = fooUrl;
      };
    };
  };

  master = options // {
    imports = [ ./keystone_k8s.nix ];
    _module.args = {
      inherit cwPkgs;
      cwLibs = cwLib;
    };
    virtualisation = {
      diskSize = 10000;
      memorySize = 2048;
    };
  };

  # What keystone.k8s derives from these options, for checking without the module system.
  resources = import ./keystone_k8s-resources.nix { inherit lib cwLib; };
  keystone = resources.forDomain domain;
  catalog = keystone.defaultCatalog // options.keystone.k8s.catalog;
  services = import ./k8s-services-resources.nix { inherit lib; };

  step = action: arg: {
    node = "master";
    ${action} = arg;
  };
in
cwLib.makeTest {
  name = "keystone";
  nodes = { inherit master; };
  testScript = cwLib.testScript [
    (step "waitForUnit" "keystone.service")
    (step "waitUntilSucceeds" "curl -s consul:8500/v1/catalog/services | grep -q keystone-admin-api")
    (step "waitUntilSucceeds" "curl -s consul:8500/v1/catalog/services | grep -q keystone-api")
    (step "succeed" "source /etc/openstack/admin-token.openrc && openstack user list | grep -q admin")
    (step "succeed" "source /etc/openstack/admin.openrc && openstack user list | grep -q test")
    (step "succeed" "source /etc/openstack/admin.openrc && openstack role list | grep -q test")
    (step "succeed" "source /etc/openstack/admin.openrc && openstack catalog list | grep -q foo")
    (step "succeed" "source /etc/openstack/admin.openrc && openstack catalog list | grep -q identity")
  ];
}
// {
  # The node's options and what keystone.k8s makes of them.
  k8s = {
    inherit options;
    keystone = {
      inherit (keystone) manifests adminTokenOpenrc adminOpenrc;
      provision = keystone.provision {
        inherit catalog;
        inherit (options.keystone.k8s) roles;
        projects = keystone.defaultProjects // options.keystone.k8s.projects;
      };
      infra = keystone.infra catalog;
      mysqlBootstrap = services.mysql.bootstrap {
        keystone = {
          user = "keystone";
          password = resources.password;
        };
      };
    };
  };
}
