# The fluentd pipeline of perp images: the services of `testImage` log through the image's
# fluentd to a fluentd on the host, whose journal must show both services' lines.
{
  cwLib,
  fluentdCw,
  testImage,
  writeText,
}:

let
  fluentdConf = writeText "fluentd.conf" ''
    <source>
      @type forward
      port 24224
    </source>
    <match **>
      @type stdout
    </match>
  '';

  stack = {
    version = "2";
    services.test-image = {
      image = baseNameOf testImage;
      network_mode = "host";
    };
  };

  driverDockerCompose = cwLib.runDockerComposeStack stack;

  step = action: arg: {
    node = "machine";
    ${action} = arg;
  };

  test = cwLib.makeTest {
    name = "fluentd";
    nodes.machine =
      { ... }:
      {
        virtualisation = {
          diskSize = 4960;
          memorySize = 1024;
          docker.enable = true;
        };
        networking.extraHosts = "127.0.0.1 fluentd.localdomain";
        systemd.services.fluentd = {
          wantedBy = [ "multi-user.target" ];
          after = [ "network.target" ];
          serviceConfig.ExecStart = "${fluentdCw}/bin/fluentd --no-supervisor -c ${fluentdConf}";
        };
      };
    testScript = cwLib.testScript [
      (step "waitForUnit" "docker.service")
      (step "waitForUnit" "fluentd.service")
      (step "succeed" "${driverDockerCompose}/bin/run-docker-compose-stack")
      # fluentd flushes its buffers every 60 seconds.
      (step "sleep" 60)
      (step "waitUntilSucceeds" "journalctl --unit fluentd --no-pager | grep stdout-svc")
      (step "waitUntilSucceeds" "journalctl --unit fluentd --no-pager | grep syslog-svc")
    ];
  };
in
test // { inherit driverDockerCompose; }
