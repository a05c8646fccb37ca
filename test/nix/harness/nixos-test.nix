# NixOS VM tests with each era's entry points: 18.03's makeTest (nixos/lib/testing.nix), and
# current nixpkgs' makeTest (nixos/lib/testing-python.nix), runNixOSTest and nixosTest. A test
# needs QEMU/KVM and NixOS system closures, so nothing is run: the node configurations are kept
# as given (not evaluated by the module system), the test derivation `vm-test-run-<name>`
# instantiates and fails when built, and its `driver` (`nixos-test-driver-<name>`) builds, with
# programs that say why they cannot run.
{
  era,
  pkgs,
}:

let
  inherit (pkgs) lib runCommand;
  current = era == "current";

  # The packages a node installs (environment.systemPackages), read from the node and from the
  # modules it imports, without the module system: each module is called with the node's
  # `_module.args`, `pkgs` and `lib`, and only these two options are looked at. A real
  # evaluation builds them into the system, so the driver depends on them here too: a package
  # a current nixpkgs refuses (an unfree one, say) stops the test as it would there.
  systemPackagesOf =
    args: module:
    let
      # A module of nixpkgs' own tree (the harness has no NixOS modules) installs nothing here.
      loaded =
        if builtins.isPath module || builtins.isString module then
          (if builtins.pathExists module then import module else { })
        else
          module;
      value =
        if lib.isFunction loaded then
          loaded (
            {
              inherit pkgs lib;
              config = { };
              options = { };
              modulesPath = "";
            }
            // args
          )
        else
          loaded;
      args' = args // (value._module.args or { });
    in
    (value.environment.systemPackages or [ ])
    ++ builtins.concatMap (systemPackagesOf args') (value.imports or [ ]);

  nodeArgs =
    node:
    let
      loaded = if builtins.isPath node then import node else node;
    in
    if builtins.isAttrs loaded then loaded._module.args or { } else { };

  mkTest =
    {
      name,
      nodes,
      testScript,
      driverPrograms,
    }:
    let
      script = if lib.isFunction testScript then testScript { inherit nodes; } else testScript;
      driver =
        runCommand "nixos-test-driver-${name}"
          {
            testScript = script;
            passAsFile = [ "testScript" ];
            nodeNames = builtins.attrNames nodes;
            programs = driverPrograms;
            nodePackages = builtins.concatMap (node: systemPackagesOf (nodeArgs node) node) (
              builtins.attrValues nodes
            );
          }
          ''
            mkdir -p "$out/bin" "$out/share/nixos-test"
            cp "$testScriptPath" "$out/share/nixos-test/test-script"
            for node in $nodeNames; do echo "$node" >> "$out/share/nixos-test/nodes"; done
            for program in $programs; do
              printf '#!/bin/sh\necho "%s: the NixOS test %s needs QEMU/KVM and NixOS VM images, which the harness does not provide" >&2\nexit 1\n' \
                "$program" "${name}" > "$out/bin/$program"
              chmod +x "$out/bin/$program"
            done
          '';
      test =
        runCommand "vm-test-run-${name}"
          {
            inherit driver;
            requiredSystemFeatures = [
              "kvm"
              "nixos-test"
            ];
          }
          "echo 'vm-test-run-${name}: this NixOS test needs a VM (KVM), which the harness cannot start' >&2; exit 1";
    in
    {
      inherit driver test nodes;
    };

  # The options a test module may set through runNixOSTest.
  testOptions = [
    "_module"
    "containers"
    "defaults"
    "driver"
    "enableDebugHook"
    "enableOCR"
    "extraBaseModules"
    "extraDriverArgs"
    "extraPythonPackages"
    "globalTimeout"
    "hostPkgs"
    "includeTestScriptReferences"
    "interactive"
    "logLevel"
    "meta"
    "name"
    "node"
    "nodes"
    "passthru"
    "qemu"
    "skipLint"
    "skipTypeCheck"
    "sshBackdoor"
    "testScript"
  ];

  # A test module (a set, a function of the module arguments, or a file) and its imports,
  # merged shallowly.
  evalModule =
    final: module:
    let
      loaded = if builtins.typeOf module == "path" then import module else module;
      moduleArgs = {
        inherit lib pkgs;
        config = final;
        options = { };
        hostPkgs = pkgs;
        nodes = final.nodes or { };
      };
      args = lib.functionArgs loaded;
      value =
        if lib.isFunction loaded then
          loaded (if args == { } then moduleArgs else builtins.intersectAttrs args moduleArgs)
        else
          loaded;
      own = builtins.removeAttrs (value.config or value) [
        "imports"
        "_file"
      ];
      unknown = builtins.filter (n: !builtins.elem n testOptions) (builtins.attrNames own);
    in
    if unknown != [ ] then
      throw "The option `${builtins.head unknown}' does not exist."
    else
      lib.foldl' (acc: m: acc // evalModule final m) { } (value.imports or [ ]) // own;

  runTest =
    module:
    let
      config = lib.fix (final: evalModule final module);
      name =
        config.name
          or (throw "The option `name' was accessed but has no value defined. Try setting the option.");
      t = mkTest {
        inherit name;
        nodes = config.nodes or { };
        testScript = config.testScript;
        driverPrograms = [ "nixos-test-driver" ];
      };
    in
    t.test
    // (config.passthru or { })
    // {
      inherit (t) driver nodes test;
      driverInteractive = t.driver;
      inherit config;
      meta = config.meta or { };
    };
in
if current then
  {
    inherit runTest;

    evalTest = module: {
      config =
        let
          result = runTest module;
        in
        result.config
        // {
          test = result;
          inherit (result) driver driverInteractive nodes;
        };
    };

    # testing-python.nix makeTest: the legacy interface, with no `...`.
    makeTest =
      {
        machine ? null,
        nodes ? { },
        testScript,
        enableOCR ? false,
        globalTimeout ? (60 * 60),
        name ? "unnamed",
        skipTypeCheck ? false,
        skipLint ? false,
        passthru ? { },
        meta ? { },
        pos ? builtins.unsafeGetAttrPos "testScript" t,
        extraPythonPackages ? (_: [ ]),
        interactive ? { },
      }@t:
      let
        allNodes =
          nodes
          // lib.optionalAttrs (machine != null) {
            machine = lib.warn "In test `${name}': The `machine' attribute in NixOS tests (pkgs.nixosTest / make-test-python.nix / testing-python.nix / makeTest) is deprecated. Please set the equivalent `nodes.machine'." machine;
          };
      in
      runTest {
        inherit
          name
          testScript
          enableOCR
          globalTimeout
          skipTypeCheck
          skipLint
          passthru
          meta
          extraPythonPackages
          interactive
          ;
        nodes = allNodes;
      };

    runNixOSTest = runTest;
  }
else
  {
    # The driver program alone, and builds run inside a NixOS VM: these need the VM too.
    testDriver = runCommand "nixos-test-driver" { } ''
      mkdir -p "$out/bin"
      printf '#!/bin/sh\necho "nixos-test-driver: needs QEMU/KVM, which the harness does not provide" >&2\nexit 1\n' > "$out/bin/nixos-test-driver"
      chmod +x "$out/bin/nixos-test-driver"
    '';
    runInMachine =
      {
        drv,
        machine,
        preBuild ? "",
        postBuild ? "",
        ...
      }:
      runCommand "vm-build-${drv.name}" {
        requiredSystemFeatures = [ "kvm" ];
      } "echo 'vm-build-${drv.name}: needs a VM (KVM), which the harness cannot start' >&2; exit 1";
    runInMachineWithX =
      {
        require ? [ ],
        ...
      }@args:
      runCommand "vm-build-with-x" {
        requiredSystemFeatures = [ "kvm" ];
      } "echo 'vm-build-with-x: needs a VM (KVM), which the harness cannot start' >&2; exit 1";

    # testing.nix makeTest: nodes from `nodes`, or `machine` as the single node `machine`.
    makeTest =
      {
        testScript,
        makeCoverageReport ? false,
        enableOCR ? false,
        name ? "unnamed",
        ...
      }@t:
      let
        nodes = if t ? nodes then t.nodes else { machine = t.machine; };
        result = mkTest {
          inherit name nodes testScript;
          driverPrograms = [
            "nixos-test-driver"
            "nixos-run-vms"
          ];
        };
        passMeta = drv: drv // lib.optionalAttrs (t ? meta) { meta = (drv.meta or { }) // t.meta; };
        test = passMeta result.test;
      in
      test
      // {
        inherit (result) nodes driver;
        inherit test;
      };
  }
