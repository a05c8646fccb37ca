# NixOS module `mysql.k8s`: a MySQL server of the host with databases and users, registered in
# Consul under each alias through infra.k8s.
{
  config,
  lib,
  pkgs,
  ...
}:

let
  cfg = config.mysql.k8s;
  resources = import ./k8s-services-resources.nix { inherit lib; };
in
{
  imports = [ ./infra_k8s.nix ];

  options.mysql.k8s = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = "Run MySQL for the cluster.";
    };
    aliases = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      description = "Consul service names of the server.";
    };
    address = lib.mkOption {
      type = lib.types.str;
      default = resources.mysql.address;
      description = "Address MySQL listens on.";
    };
    databases = lib.mkOption {
      type = lib.types.attrsOf lib.types.attrs;
      default = { };
      description = "Databases to create, `{ name = { user; password; }; }`; a user is created and granted the database when both are given.";
    };
  };

  config = lib.mkIf cfg.enable {
    infra.k8s = {
      enable = true;
      externalServices = resources.mysql.externalServices cfg.address cfg.aliases;
    };
    services.mysql = {
      enable = true;
      package = pkgs.mysql;
      extraOptions = ''
        bind-address = ${cfg.address}
        skip-name-resolve
      '';
    };
    systemd.services.mysql-bootstrap = {
      wantedBy = [ "multi-user.target" ];
      after = [ "mysql.service" ];
      path = [ pkgs.mysql ];
      serviceConfig = {
        Type = "oneshot";
        RemainAfterExit = true;
      };
      script = resources.mysql.bootstrap cfg.databases;
    };
  };
}
