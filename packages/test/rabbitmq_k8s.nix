# NixOS module `rabbitmq.k8s`: a RabbitMQ server of the host with one user and vhost per queue
# name, each registered in Consul as `<vhost>-queue` through infra.k8s.
{
  config,
  lib,
  pkgs,
  ...
}:

let
  cfg = config.rabbitmq.k8s;
  resources = import ./k8s-services-resources.nix { inherit lib; };
in
{
  imports = [ ./infra_k8s.nix ];

  options.rabbitmq.k8s = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = "Run RabbitMQ for the cluster.";
    };
    address = lib.mkOption {
      type = lib.types.str;
      default = resources.rabbitmq.address;
      description = "Address RabbitMQ listens on.";
    };
    vhosts = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [ ];
      description = "Vhosts to create, each with a user of the same name (password `development`).";
    };
  };

  config = lib.mkIf cfg.enable {
    infra.k8s = {
      enable = true;
      externalServices = resources.rabbitmq.externalServices cfg.address cfg.vhosts;
    };
    services.rabbitmq = {
      enable = true;
      listenAddress = cfg.address;
    };
    systemd.services.rabbitmq-bootstrap = {
      wantedBy = [ "multi-user.target" ];
      after = [ "rabbitmq.service" ];
      path = [ pkgs.rabbitmq_server ];
      serviceConfig = {
        Type = "oneshot";
        RemainAfterExit = true;
        User = "rabbitmq";
        Group = "rabbitmq";
      };
      script = resources.rabbitmq.bootstrap cfg.vhosts;
    };
  };
}
