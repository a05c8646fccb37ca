# Hydra (dockerImages.hydra) and PostgreSQL 9.3 run as a docker-compose stack in a VM; the
# declarative project `cloudwatt` must get its `.jobsets` jobset.
{ cwLib, dockerImages }:

let
  postgresImage = dockerImages.pulled.postgresImage;

  stack = {
    version = "2";
    services = {
      postgres = {
        image = baseNameOf postgresImage;
        environment = [ "POSTGRES_PASSWORD=MYPWD" ];
      };
      hydra = {
        image = baseNameOf dockerImages.hydra;
        environment = [
          "HYDRA_DBI=dbi:Pg:dbname=postgres;host=postgres;user=postgres;"
          "POSTGRES_PASSWORD=MYPWD"
          "HYDRA_ADMIN_USERNAME=admin"
          "HYDRA_ADMIN_PASSWORD=admin"
          "DECL_PROJECT_NAME=cloudwatt"
          "DECL_FILE=ci/spec.json"
          "DECL_TYPE=git"
          "DECL_VALUE=https://github.com/nlewo/nixpkgs-cloudwatt master keepDotGit"
        ];
        ports = [ "3000:3000" ];
        links = [ "postgres:postgres" ];
      };
    };
  };

  driverDockerCompose = cwLib.runDockerComposeStack stack;

  test = cwLib.makeTest {
    name = "hydra";
    nodes.machine =
      { ... }:
      {
        services.openssh.enable = true;
        services.openssh.permitRootLogin = "yes";
        users.users.root.password = "root";
        virtualisation = {
          diskSize = 4960;
          memorySize = 1024;
          docker.enable = true;
        };
      };
    testScript = cwLib.testScript [
      {
        node = "machine";
        waitForUnit = "network.target";
      }
      {
        node = "machine";
        waitForUnit = "sockets.target";
      }
      {
        node = "machine";
        succeed = "${driverDockerCompose}/bin/run-docker-compose-stack";
      }
      {
        node = "machine";
        waitUntilSucceeds = "curl -H \"Content-Type: application/json\" http://localhost:3000/jobset/cloudwatt/.jobsets";
      }
    ];
  };
in
test // { inherit driverDockerCompose; }
