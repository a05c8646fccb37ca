# What the rabbitmq.k8s and mysql.k8s modules provision, as plain values: their addresses, the
# external services they register and their bootstrap scripts.
{ lib }:

let
  services =
    port: address: names:
    lib.genAttrs names (_: {
      inherit address port;
    });
in
{
  rabbitmq = {
    address = "169.254.1.50";
    externalServices = address: vhosts: services 5672 address (map (v: "${v}-queue") vhosts);
    bootstrap = lib.concatMapStrings (v: ''
      rabbitmqctl add_user ${v} development
      rabbitmqctl add_vhost ${v}
      rabbitmqctl set_policy -p ${v} ha-all '^(?!amq\.).*' '{"ha-mode":"all"}'
      rabbitmqctl set_permissions -p ${v} ${v} '.*' '.*' '.*'
    '');
  };

  mysql = {
    address = "169.254.1.51";
    externalServices = services 3306;
    bootstrap =
      databases:
      lib.concatMapStrings (
        db:
        let
          user = databases.${db}.user or "";
          password = databases.${db}.password or "";
        in
        ''
          echo "CREATE DATABASE ${db};" | mysql -u root -N
        ''
        + lib.optionalString (user != "" && password != "") ''
          echo "CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY '${password}';" | mysql -u root -N
          echo "GRANT ALL PRIVILEGES ON ${db}.* TO '${user}'@'%';" | mysql -u root -N
        ''
      ) (builtins.attrNames databases);
  };
}
