# The package set's NixOS tests: test scripts for either driver, docker-compose stacks.
{ pkgs }:

let
  inherit (pkgs) lib runCommand writeText;
  # nixpkgs renamed docker_compose to docker-compose (21.05); the old name throws since.
  dockerCompose = if pkgs ? docker-compose then pkgs.docker-compose else pkgs.docker_compose;
  # The driver of nixpkgs 18.03 runs Perl test scripts; since 20.03 they are Python. The same
  # choice as compat.makeTest: runNixOSTest where it exists.
  pythonDriver = pkgs ? testers && pkgs.testers ? runNixOSTest;

  perlString = s: "'" + lib.replaceStrings [ "\\" "'" ] [ "\\\\" "\\'" ] s + "'";
  # JSON strings are Python string literals.
  pythonString = builtins.toJSON;

  # One step: { node, <action> = argument }, or { startAll = true; }.
  actions = {
    waitForUnit = "wait_for_unit";
    waitForOpenPort = "wait_for_open_port";
    succeed = "succeed";
    fail = "fail";
    waitUntilSucceeds = "wait_until_succeeds";
    waitUntilFails = "wait_until_fails";
    sleep = "sleep";
    execute = "execute";
  };
  renderStep =
    step:
    let
      names = builtins.filter (n: n != "node") (builtins.attrNames step);
      action =
        if builtins.length names == 1 && (actions ? ${builtins.head names} || names == [ "startAll" ]) then
          builtins.head names
        else
          throw "test step ${builtins.toJSON step}: expected `node` and one of ${lib.concatStringsSep ", " (builtins.attrNames actions)}, or startAll";
      arg = step.${action};
      literal =
        if builtins.isInt arg then
          toString arg
        else if pythonDriver then
          pythonString arg
        else
          perlString arg;
    in
    if action == "startAll" then
      (if pythonDriver then "start_all()" else "startAll;")
    else if pythonDriver then
      "${step.node}.${actions.${action}}(${literal})"
    else
      "\$${step.node}->${action}(${literal});";
in
{
  # A test script for the driver of the nixpkgs in use, from a list of steps such as
  # `{ node = "machine"; waitForUnit = "docker.service"; }`, `{ node = "machine"; sleep = 60; }`
  # or `{ startAll = true; }`; the actions are the names of `actions` above (Perl method names).
  testScript = steps: lib.concatMapStrings (s: renderStep s + "\n") steps;

  # A docker-compose document, given as a Nix set, and the script `run-docker-compose-stack`
  # that starts it: it loads every store file the document refers to (the images, written as
  # `image = baseNameOf <image>`), tags each loaded image with that file's base name so those
  # `image:` values resolve, runs `docker-compose up -d`, and says how to follow the logs and
  # tear the stack down. The document is written as JSON, which is YAML.
  runDockerComposeStack =
    stack:
    let
      composeFile = writeText "docker-compose.yaml" (builtins.toJSON stack);
    in
    runCommand "run-docker-compose-stack"
      {
        exportReferencesGraph = [
          "graph"
          composeFile
        ];
        inherit composeFile;
        docker = pkgs.docker;
        inherit dockerCompose;
        shell = pkgs.runtimeShell;
      }
      ''
        # The direct references of the compose file: its block of the references graph is
        # <path>, <deriver>, <count>, then <count> paths.
        images=$(awk -v file="$composeFile" '
          state == 0 && $0 == file { state = 1; next }
          state == 1 { state = 2; next }
          state == 2 { count = $0; state = 3; if (count == 0) exit; next }
          state == 3 { if ($0 != file) print; if (--count == 0) exit }
        ' graph | sort)
        mkdir -p "$out/bin"
        {
          echo "#!$shell"
          echo "set -e"
          for image in $images; do
            echo "loaded=\$($docker/bin/docker load -i $image | sed -n 's/^Loaded image\(: \| ID: \)//p' | tail -n 1)"
            echo "$docker/bin/docker tag \"\$loaded\" $(basename "$image")"
          done
          echo "$dockerCompose/bin/docker-compose -f $composeFile up -d"
          echo "echo 'Follow the logs: $dockerCompose/bin/docker-compose -f $composeFile logs -f'"
          echo "echo 'Tear the stack down: $dockerCompose/bin/docker-compose -f $composeFile down'"
        } > "$out/bin/run-docker-compose-stack"
        chmod +x "$out/bin/run-docker-compose-stack"
      '';
}
