# The perp service model in practice: every case image runs in docker in a VM, and what its
# services did is checked from inside the container.
{
  cwLib,
  lib,
  rootSvc,
  rootRunenv,
  rootPrestartEnv,
  userSvc,
  userRunenv,
  userPrestartEnv,
  userPrestartRunenv,
  userChdir,
  userPrestartFailure,
  oneshot,
  oneshotAfter,
  serviceAfter,
}:

let
  images = [
    rootSvc
    rootRunenv
    rootPrestartEnv
    userSvc
    userRunenv
    userPrestartEnv
    userPrestartRunenv
    userChdir
    userPrestartFailure
    oneshot
    oneshotAfter
    serviceAfter
  ];
  step = action: arg: {
    node = "machine";
    ${action} = arg;
  };
  # Run a command in the container of a case.
  exec = case: command: "docker exec ${case} ${command}";
  run = image: [
    (step "succeed" "docker load -i ${image}")
    (step "succeed" "docker run --rm -d --name ${image.imageName} -h ${image.imageName} ${image.imageName}:${image.imageTag or "latest"}")
  ];
in
cwLib.makeTest {
  name = "perp";
  nodes.machine =
    { ... }:
    {
      virtualisation = {
        diskSize = 4960;
        memorySize = 1024;
        docker.enable = true;
      };
    };
  testScript = cwLib.testScript (
    [
      (step "waitForUnit" "docker.service")
      (step "succeed" "docker container prune -f")
    ]
    ++ lib.concatMap run images
    ++ [
      (step "waitUntilSucceeds" (exec "root-svc" "test -f /root/root-svc"))

      (step "waitUntilSucceeds" (exec "root-runenv" "test -f /root/root-runenv"))

      (step "waitUntilSucceeds" (exec "root-prestart-env" "test -f /root/root-prestart-env-prestart"))
      (step "waitUntilSucceeds" (exec "root-prestart-env" "grep -x root /root/root-prestart-env"))

      (step "waitUntilSucceeds" (exec "user-svc" "stat -c %U /tmp/user-svc | grep -x nobody"))

      (step "waitUntilSucceeds" (exec "user-runenv" "stat -c %U /tmp/user-runenv | grep -x nobody"))

      (step "waitUntilSucceeds" (
        exec "user-prestart-env" "stat -c %U /tmp/user-prestart-env | grep -x nobody"
      ))
      (step "succeed" (exec "user-prestart-env" "grep -x root /tmp/user-prestart-env"))

      (step "waitUntilSucceeds" (exec "user-prestart-runenv" "test -f /tmp/env"))
      (step "waitUntilSucceeds" (exec "user-prestart-runenv" "grep -x root /tmp/user-prestart-runenv"))

      (step "waitUntilSucceeds" (exec "user-chdir" "test -f /tmp/user-chdir"))

      (step "sleep" 6)
      (step "fail" (exec "user-prestart-failure" "test -e /tmp/user-prestart-failure"))

      (step "succeed" (exec "oneshot" "sh -c '[ $(wc -l < /tmp/oneshot) -eq 1 ]'"))
      (step "succeed" (exec "oneshot" "perpctl A oneshot"))
      (step "waitUntilSucceeds" (exec "oneshot" "sh -c '[ $(wc -l < /tmp/oneshot) -eq 2 ]'"))

      (step "waitUntilSucceeds" (exec "oneshot-after" "test -f /tmp/service2"))
      (step "succeed" (exec "oneshot-after" "test -f /var/run/perp/service1.success"))
      (step "succeed" (exec "oneshot-after" "test -f /var/run/perp/service3.fail"))
      (step "fail" (exec "oneshot-after" "test -e /tmp/service4"))

      (step "waitUntilSucceeds" (exec "service-after" "test -f /tmp/service2"))
    ]
  );
}
