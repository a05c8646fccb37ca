// The package set's own NixOS tests (test.*): every test and its driver instantiate under both
// harness profiles (tests built on images pinned by tag only stop with the "needs a digest"
// error under the current profile, by design), and the built drivers and stack runners carry
// the facts of the original tests: names, steps, ports, compose environment.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CONTRAIL_HARNESS,
  HARNESS_PROFILES,
  REPO,
  UNCONFIRMED_STOPS,
  currentStops,
  nixEval,
  nixTestsEnabled,
  packageSetExpr,
  run,
  tempDir,
} from "./helpers.ts";

process.env.NIX_CONFIG = "substituters =\n";

type Profile = keyof typeof HARNESS_PROFILES;
const args = (profile: Profile) => [
  "--arg",
  "nixpkgs",
  HARNESS_PROFILES[profile],
  "--arg",
  "contrail",
  CONTRAIL_HARNESS,
];

const instantiate = (attr: string, profile: Profile) =>
  run("nix-instantiate", [join(REPO, "generated"), "-A", attr, ...args(profile)]);

function build(attr: string, profile: Profile): string {
  const result = run("nix-build", [
    "--no-out-link",
    join(REPO, "generated"),
    "-A",
    attr,
    ...args(profile),
  ]);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
}

const script = (attr: string, profile: Profile): string =>
  readFileSync(`${build(`${attr}.driver`, profile)}/share/nixos-test/test-script`, "utf8");

/** The tests (and the file one of them needs in the set). */
const TESTS: readonly { attr: string; name: string; needs?: string }[] = [
  { attr: "hydra", name: "hydra", needs: "packages/dockerImages/hydra.yaml" },
  { attr: "fluentd", name: "fluentd" },
  { attr: "perp", name: "perp" },
  { attr: "contrail", name: "contrail" },
  { attr: "contrailLoadDatabase", name: "contrail-load-database" },
  { attr: "gremlinDump", name: "gremlin-dump" },
  { attr: "infraK8S", name: "infra" },
  { attr: "keystoneK8S", name: "keystone" },
];

const enabled = nixTestsEnabled();

describe.skipIf(!enabled)("test.* instantiate", () => {
  // Under the current profile, what the upgrade report says stops must stop, as it says.
  let stops = new Map<string, string[]>();
  beforeAll(async () => {
    stops = await currentStops(REPO);
  });
  for (const t of TESTS) {
    // test.hydra runs dockerImages.hydra, which the set must have.
    const present = t.needs === undefined || existsSync(join(REPO, t.needs));
    for (const profile of Object.keys(HARNESS_PROFILES) as Profile[]) {
      for (const attr of [`test.${t.attr}`, `test.${t.attr}.driver`]) {
        it.skipIf(!present)(
          `${attr} (${profile})`,
          () => {
            const result = instantiate(attr, profile);
            const expected =
              profile === "nixpkgs-current" && !UNCONFIRMED_STOPS.has(`test.${t.attr}`)
                ? stops.get(`test.${t.attr}`)
                : undefined;
            if (expected !== undefined) {
              expect(result.status).not.toBe(0);
              expect(
                expected.some((m) => result.stderr.includes(m)),
                result.stderr,
              ).toBe(true);
            } else {
              expect(result.status, result.stderr).toBe(0);
              expect(result.stdout).toContain(
                attr.endsWith(".driver")
                  ? `nixos-test-driver-${t.name}.drv`
                  : `vm-test-run-${t.name}.drv`,
              );
            }
          },
          120_000,
        );
      }
    }
  }
});

describe.skipIf(!enabled)("test scripts and stacks", () => {
  it("contrailLoadDatabase: waits 600 s, then port 8082, contrailApi.service and the networks", () => {
    expect(script("test.contrailLoadDatabase", "nixpkgs-18.03")).toMatch(
      /^\$machine->sleep\(600\);\n\$machine->waitForOpenPort\(8082\);\n\$machine->waitForUnit\('contrailApi\.service'\);\n\$machine->succeed\('\/nix\/store\/[a-z0-9]{32}-curl-[^/]+\/bin\/curl localhost:8082\/virtual-networks'\);\n$/,
    );
    // The same steps for the Python driver of a current nixpkgs.
    expect(script("test.contrailLoadDatabase", "nixpkgs-current")).toMatch(
      /^machine\.sleep\(600\)\nmachine\.wait_for_open_port\(8082\)\nmachine\.wait_for_unit\("contrailApi\.service"\)\nmachine\.succeed\(".*\/bin\/curl localhost:8082\/virtual-networks"\)\n$/,
    );
  }, 240_000);

  it("gremlinDump: waits 500 s, then port 8182, and counts the vertices", () => {
    const text = script("test.gremlinDump", "nixpkgs-18.03");
    expect(text).toContain("$machine->sleep(500);\n$machine->waitForOpenPort(8182);\n");
    expect(text).toMatch(/\/bin\/gremlin-send \\'g\.V\(\)\.count\(\)\\''\);\n$/);
  }, 240_000);

  it("perp: all twelve cases run under their names, and the oneshot is rerun with perpctl", () => {
    const text = script("test.perp", "nixpkgs-18.03");
    const cases = [
      "root-svc",
      "root-runenv",
      "root-prestart-env",
      "user-svc",
      "user-runenv",
      "user-prestart-env",
      "user-prestart-runenv",
      "user-chdir",
      "user-prestart-failure",
      "oneshot",
      "oneshot-after",
      "service-after",
    ];
    for (const c of cases) {
      expect(text).toContain(`docker run --rm -d --name ${c} -h ${c} ${c}:latest`);
      expect(text).toMatch(
        new RegExp(`docker load -i /nix/store/[a-z0-9]{32}-docker-image-${c}\\.tar\\.gz`),
      );
    }
    expect(text).toContain("docker exec oneshot perpctl A oneshot");
    expect(text).toContain("docker exec oneshot-after test -f /var/run/perp/service3.fail");
    expect(text).toContain("$machine->fail('docker exec oneshot-after test -e /tmp/service4');");
  }, 600_000);

  it("fluentd: the stack runs test-image on the host network, syslog on port 1234", () => {
    const runner = build("test.fluentd.driverDockerCompose", "nixpkgs-18.03");
    const text = readFileSync(`${runner}/bin/run-docker-compose-stack`, "utf8");
    const file = /-f (\/nix\/store\/[a-z0-9]{32}-docker-compose\.yaml) up -d/.exec(text)?.[1];
    expect(file).toBeDefined();
    const stack = JSON.parse(readFileSync(file!, "utf8"));
    const image: string = stack.services["test-image"].image;
    expect(image).toMatch(/^[a-z0-9]{32}-docker-image-test-image\.tar\.gz$/);
    expect(stack.services["test-image"].network_mode).toBe("host");
    expect(text).toContain(`docker tag "$loaded" ${image}`);
    const steps = script("test.fluentd", "nixpkgs-18.03");
    expect(steps).toContain("$machine->sleep(60);");
    expect(steps).toContain("journalctl --unit fluentd --no-pager | grep stdout-svc");
    expect(steps).toContain("journalctl --unit fluentd --no-pager | grep syslog-svc");
  }, 600_000);
});

/** Store paths written `<store>/<name without version>`, as in test/expected/. */
const normalise = (text: string): string =>
  text.replace(
    /\/nix\/store\/[a-z0-9]{32}-([^/\s'"=]*?)(?:-[0-9][^/\s'"=]*)?(?=[/\s'"=]|$)/g,
    "<store>/$1",
  );

/** A value of the package set under the 18.03 profile, as JSON. */
const evalJson = (expr: string): unknown =>
  nixEval(["-E", `let set = ${packageSetExpr(HARNESS_PROFILES["nixpkgs-18.03"])}; in ${expr}`]);

/** `nix-instantiate --eval --strict --json` of an attribute, under the 18.03 profile. */
const evalJSON = (attr: string): unknown =>
  nixEval([join(REPO, "generated"), "-A", attr, ...args("nixpkgs-18.03")]);

const text = (attr: string): string => readFileSync(build(attr, "nixpkgs-18.03"), "utf8");

describe.skipIf(!enabled)("test images", () => {
  const walkers = join(REPO, "test/nix/walkers");

  it("are reachable as test.<name>.images.<image>, the test staying a derivation", () => {
    expect(
      evalJson(
        `builtins.mapAttrs (_: t: { isDerivation = t.type or null == "derivation"; images = builtins.attrNames (t.images or { }); }) { inherit (set.test) perp fluentd infraK8S contrail; }`,
      ),
    ).toEqual({
      perp: {
        isDerivation: true,
        images: [
          "oneshot",
          "oneshotAfter",
          "rootPrestartEnv",
          "rootRunenv",
          "rootSvc",
          "serviceAfter",
          "userChdir",
          "userPrestartEnv",
          "userPrestartFailure",
          "userPrestartRunenv",
          "userRunenv",
          "userSvc",
        ],
      },
      fluentd: { isDerivation: true, images: ["testImage"] },
      infraK8S: { isDerivation: true, images: ["service1Image", "service2Image"] },
      // A test without images of its own gets no `images`.
      contrail: { isDerivation: true, images: [] },
    });
    expect(evalJson("set.test.perp.images.userChdir.imageName")).toBe("user-chdir");
  }, 120_000);

  it("are not jobs of their own: the walkers stop at the test's derivation", () => {
    const paths = evalJson(
      `map (d: builtins.concatStringsSep "." d.path) (import ${walkers}/derivations.nix { inherit (set) test; })`,
    ) as string[];
    expect(paths).toContain("test.perp");
    expect(paths.filter((p) => p.includes(".images"))).toEqual([]);
    const hydra = evalJson(
      `map (j: j.path) (import ${walkers}/hydra.nix { test = builtins.mapAttrs (_: t: (import ${join(REPO, "generated/lib")} { pkgs = import ${HARNESS_PROFILES["nixpkgs-18.03"]} { }; }).hydraJobs t) set.test; }).jobs`,
    ) as string[];
    expect(hydra).toContain("test.perp");
    expect(hydra.filter((p) => p.includes(".images"))).toEqual([]);
  }, 120_000);
});

describe.skipIf(!enabled)("test.contrail", () => {
  it("has the nodes controller, vrouter1 and vrouter2", () => {
    expect(evalJson("builtins.attrNames set.test.contrail.nodes")).toEqual([
      "controller",
      "vrouter1",
      "vrouter2",
    ]);
  }, 120_000);

  it("loads and re-tags every image, then runs the main steps in order", () => {
    // The driver cannot be built offline (the internal GitLab sources are stand-ins that the
    // edits do not match), so the script is read from the driver's derivation.
    const steps = normalise(evalJson("set.test.contrail.driver.testScript") as string).split("\n");
    const images: [string, string, string][] = [
      [
        "docker-image-r.cwpriv.net-consul-agent",
        "r.cwpriv.net/consul/agent",
        "0.7.1-b6fcd21809bc2d5d",
      ],
      [
        "docker-image-r.cwpriv.net-eon-dnsmasq-no-recursion",
        "r.cwpriv.net/eon/dnsmasq",
        "no-recursion",
      ],
      [
        "docker-image-r.cwpriv.net-development-fluentd",
        "r.cwpriv.net/development/fluentd",
        "20171002-7e3bdae6264cc689",
      ],
      [
        "docker-image-r.cwpriv.net-development-polipo",
        "r.cwpriv.net/development/polipo",
        "1.1.1-70d89f5820626186",
      ],
      [
        "docker-image-r.cwpriv.net-development-polymur",
        "r.cwpriv.net/development/polymur",
        "1.0.0-2d60d18e5effe989",
      ],
      [
        "docker-image-r.cwpriv.net-development-registrator",
        "r.cwpriv.net/development/registrator",
        "v7-fa2f257ec41d5d11",
      ],
      [
        "docker-image-r.cwpriv.net-development-vault",
        "r.cwpriv.net/development/vault",
        "0.6.3-9943703ca6e78ba5",
      ],
      [
        "docker-image-r.cwpriv.net-development-mysql",
        "r.cwpriv.net/development/mysql",
        "5.5.31-495193306c197c3a",
      ],
      [
        "docker-image-r.cwpriv.net-development-rabbitmq",
        "r.cwpriv.net/development/rabbitmq",
        "3.1.5-8bf69f128c8a0091",
      ],
      [
        "docker-image-r.cwpriv.net-openstack-tools",
        "r.cwpriv.net/openstack/tools",
        "3.11.0-cf914ed23afae9b9",
      ],
      [
        "docker-image-r.cwpriv.net-keystone-all",
        "r.cwpriv.net/keystone/all",
        "9.0.0-61516ea9ed2202a1",
      ],
      ["docker-image-zookeeper", "zookeeper", "3.4.11"],
      ["docker-image-cassandra", "cassandra", "2.1.9"],
      ["docker-image-api.tar.gz", "opencontrail/api", "latest"],
      ["docker-image-discovery.tar.gz", "opencontrail/discovery", "latest"],
      ["docker-image-control.tar.gz", "opencontrail/control", "latest"],
      ["docker-image-schema-transformer.tar.gz", "opencontrail/schema-transformer", "latest"],
      ["docker-image-svc-monitor.tar.gz", "opencontrail/svc-monitor", "latest"],
      ["docker-image-analytics.tar.gz", "opencontrail/analytics", "latest"],
    ];
    expect(steps.slice(0, 2)).toEqual(["startAll;", "$controller->waitForUnit('docker.service');"]);
    images.forEach(([file, name, tag], i) => {
      expect(steps[2 + 2 * i]).toMatch(
        new RegExp(
          `^\\$controller->succeed\\('docker load -i <store>/${file.replace(/\./g, "\\.")}`,
        ),
      );
      expect(steps[3 + 2 * i]).toBe(
        `$controller->succeed('docker tag ${name}:${tag} ${name}:latest');`,
      );
    });

    const vaultEnv = "/tmp/infrastructure/docker-compose/.docker-compose/vault.env";
    const inContrail = `source ${vaultEnv} && cd /tmp/contrail && `;
    const discovery = (type: string) =>
      `$controller->waitUntilSucceeds('curl -s localhost:5998/services.json | jq -e \\'.services[] | select(.service_type == "${type}" and .oper_state == "up")\\'');`;
    const main = [
      "$controller->succeed('cp -r <store>/infrastructure/. /tmp/infrastructure/",
      "$controller->succeed('cp -r <store>/keystone/. /tmp/keystone/",
      "$controller->succeed('cp -r <store>/contrail-docker-compose/. /tmp/contrail/",
      `$controller->succeed('[ -f ${vaultEnv} ] || (cd /tmp/infrastructure/docker-compose && make vault-init)');`,
      `$controller->succeed('source ${vaultEnv} && cd /tmp/infrastructure/docker-compose && make infrastructure-up');`,
      "$controller->waitUntilSucceeds('vault status -tls-skip-verify');",
      `$controller->succeed('source ${vaultEnv} && cd /tmp/infrastructure/docker-compose && make openstack-up');`,
      "$controller->waitUntilSucceeds('docker exec dockercompose_openstack-db_1 mysql mysql -e \\'select user from user\\' | grep keystone');",
      "$controller->waitUntilSucceeds('docker exec dockercompose_openstack-queue_1 rabbitmqctl list_permissions -p opencontrail | grep -e ^opencontrail');",
      `$controller->succeed('source ${vaultEnv} && cd /tmp/keystone && make dev-up');`,
      "$controller->sleep(20);",
      "$controller->succeed('(source <store>/admin-token.openrc && openstack user list --project openstack | grep -q admin) || (",
      `$controller->succeed('${inContrail}make dev-consul-data');`,
      `$controller->waitUntilSucceeds('${inContrail}make dev-vault-data');`,
      `$controller->succeed('${inContrail}if (source <store>/admin-token.openrc && openstack user list --project service | grep -q opencontrail); then make contrail-clean; else make contrail-service-user; fi');`,
      `$controller->succeed('${inContrail}docker-compose -f contrail.yml up -d cassandra zookeeper api discovery control schema analytics svc-monitor');`,
      discovery("ApiServer"),
      discovery("IfmapServer"),
      discovery("Collector"),
      discovery("OpServer"),
      "$controller->waitUntilSucceeds('curl -s http://localhost:8082');",
      "$controller->succeed('source <store>/admin.openrc && contrail-api-cli --ns contrail_api_cli.provision add-bgp-router --router-ip $(curl -s localhost:8500/v1/catalog/service/opencontrail-control | jq -r \\'.[].ServiceAddress\\') $(cd /tmp/contrail && docker-compose -f contrail.yml ps -q control 2>/dev/null | cut -c -12)');",
      discovery("xmpp-server"),
      "$controller->succeed('source <store>/admin.openrc && contrail-api-cli exec /tmp/contrail/create_project.py');",
      "$controller->succeed('source <store>/admin.openrc && contrail-api-cli provision -f <store>/provision.json');",
      "$controller->succeed('<store>/check-vnc_openstack/bin/check-vnc_openstack');",
      "$controller->waitUntilSucceeds('curl -s localhost:8081/analytics/uves/vrouters | jq -e \\'length == 2\\'');",
      "$controller->waitUntilSucceeds('curl -s \\'localhost:8081/analytics/uves/vrouter/*?cfilt=NodeStatus:process_status\\'",
      "$vrouter1->succeed('netns-daemon-start -U opencontrail -P development -s controller -n default-domain:service:vn1 vm1');",
      "$vrouter2->succeed('netns-daemon-start -U opencontrail -P development -s controller -n default-domain:service:vn1 vm2');",
      "$vrouter2->succeed('netns-daemon-start -U opencontrail -P development -s controller -n default-domain:service:vn2 vm3');",
      "$vrouter1->succeed('ip netns exec ns-vm1 ip a | grep -q 20.1.1.252');",
      "$vrouter1->succeed('ip netns exec ns-vm1 ping -c1 20.1.1.251');",
      "$vrouter1->succeed('ip netns exec ns-vm1 ping -c1 20.2.2.252');",
      "$vrouter1->waitUntilSucceeds('ip netns | grep -q vrouter');",
      "$vrouter2->waitUntilSucceeds('ip netns | grep -q vrouter');",
      "$vrouter1->waitUntilSucceeds('ip netns exec ns-vm1 ping -c1 192.168.1.1');",
    ];
    // Each main step comes after the previous one.
    let at = 2 + 2 * images.length;
    for (const step of main) {
      const found = steps.findIndex((line, i) => i >= at && line.startsWith(step));
      expect(found, `${step}\nnot found after line ${at}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
    expect(steps.slice(at)).toEqual([""]);
  }, 240_000);

  it("writes the keystone, vnc_api and provisioning files", () => {
    const url = "http://identity-admin.dev0.loc.cloudwatt.net:35357/v2.0";
    expect(text("test.contrail.files.adminTokenRc")).toBe(
      `export OS_AUTH_TYPE="v2token"\nexport OS_AUTH_URL="${url}"\nexport OS_TOKEN="development"\nexport CONTRAIL_API_HOST=controller\n`,
    );
    const adminRc = text("test.contrail.files.adminRc");
    for (const line of [
      'export OS_AUTH_TYPE="v2password"',
      `export OS_AUTH_URL="${url}"`,
      'export OS_REGION_NAME="dev0"',
      'export OS_PROJECT_NAME="openstack"',
      'export OS_TENANT_NAME="openstack"',
      'export OS_USERNAME="admin"',
      'export OS_PASSWORD="development"',
      'export OS_INTERFACE="admin"',
      "export CONTRAIL_API_HOST=controller",
    ]) {
      expect(adminRc.split("\n")).toContain(line);
    }
    expect(text("test.contrail.files.vncApiLib")).toBe(
      [
        "[auth]",
        "AUTHN_TYPE = keystone",
        "AUTHN_PROTOCOL = http",
        "AUTHN_SERVER = identity-admin.dev0.loc.cloudwatt.net",
        "AUTHN_PORT = 35357",
        "AUTHN_URL = /v2.0/tokens",
        `AUTHN_TOKEN_URL = ${url}/tokens`,
        "",
      ].join("\n"),
    );
    expect(JSON.parse(text("test.contrail.files.provision"))).toEqual({
      name: "test",
      namespace: "contrail_api_cli.provision",
      defaults: {
        vn: { "project-fqname": "default-domain:service" },
        lr: { "project-fqname": "default-domain:service" },
      },
      provision: {
        encaps: { modes: ["MPLSoGRE", "MPLSoUDP", "VXLAN"] },
        vrouter: [
          { "vrouter-ip": "192.168.2.2", "vrouter-name": "vrouter1" },
          { "vrouter-ip": "192.168.2.3", "vrouter-name": "vrouter2" },
        ],
        vn: [
          { "virtual-network-name": "public", subnets: ["10.0.0.0/24"], external: true },
          { "virtual-network-name": "vn1", subnets: ["20.1.1.0/24"] },
          { "virtual-network-name": "vn2", subnets: ["20.2.2.0/24"] },
        ],
        lr: {
          "logical-router-name": "router",
          "vn-fqnames": ["default-domain:service:vn1", "default-domain:service:vn2"],
          "external-vn-fqname": "default-domain:service:public",
        },
      },
    });
    const request = JSON.parse(text("test.contrail.files.neutronRequest"));
    expect(request.context).toMatchObject({
      type: "network",
      operation: "READALL",
      is_admin: true,
    });
  }, 240_000);

  it("configures each vrouter agent with the controller's address and its own vhost0", () => {
    for (const [node, n] of [
      ["vrouter1", "2"],
      ["vrouter2", "3"],
    ] as const) {
      expect(normalise(text(`test.contrail.files.vrouterAgent.${node}`))).toBe(
        [
          "[DEFAULT]",
          "disable_flow_collection = 1",
          "log_level = SYS_DEBUG",
          "collectors = 192.168.1.1:8086",
          "",
          "[CONTROL-NODE]",
          "server = 192.168.1.1",
          "",
          "[VIRTUAL-HOST-INTERFACE]",
          "name = vhost0",
          `ip = 192.168.2.${n}/24`,
          "gateway = 192.168.2.1",
          "physical_interface = eth2",
          "",
          "[FLOWS]",
          "max_vm_flows = 20",
          "",
          "[METADATA]",
          "metadata_proxy_secret = t96a4skwwl63ddk6",
          "",
          "[TASK]",
          "tbb_keepawake_timeout = 25",
          "",
          "[SERVICE-INSTANCE]",
          "netns_command=<store>/contrail-vrouter-netns/bin/opencontrail-vrouter-netns",
          "",
        ].join("\n"),
      );
    }
  }, 240_000);

  it("sets up the controller and vrouter VMs", () => {
    const controller = evalJson(`let c = (set.test.contrail.nodes.controller { }).config; in {
      inherit (c.virtualisation) diskSize memorySize cores;
      docker = c.virtualisation.docker.enable;
      hosts = c.networking.hosts;
      routes = c.networking.interfaces.eth1.ipv4.routes;
      daemon = builtins.fromJSON c.environment.etc."docker/daemon.json".text;
      etc = builtins.attrNames c.environment.etc;
      packages = map (p: p.name) c.environment.systemPackages;
    }`);
    expect(controller).toEqual({
      diskSize: 10000,
      memorySize: 4096,
      cores: 2,
      docker: true,
      hosts: {
        "127.0.1.1": ["identity-admin.dev0.loc.cloudwatt.net", "identity.dev0.loc.cloudwatt.net"],
      },
      routes: [{ address: "10.0.0.0", prefixLength: 24, via: "192.168.1.2" }],
      daemon: { "dns-opts": ["ndots:2"] },
      etc: [
        "contrail/provision.json",
        "contrail/vnc_api_lib.ini",
        "docker/daemon.json",
        "keystone/admin-token.openrc",
        "keystone/admin.openrc",
      ],
      packages: [
        "docker-compose-1.19.0",
        "gnumake-4.2.1",
        "curl-7.59.0",
        "vault-0.9.5",
        "jq-1.5",
        "python2.7-python-openstackclient-3.15.0",
        "contrail-api-cli-with-extra-0.5.4",
      ],
    });
    const vrouter = evalJson(`let m = set.test.contrail.nodes.vrouter2 { }; c = m.config; in {
      imports = map (i: if builtins.isAttrs i then "<module>" else toString i) m.imports;
      inherit (c.virtualisation) memorySize vlans;
      args = { inherit (c._module.args) isContrailMaster isContrail32; contrailPkgs = c._module.args.contrailPkgs == set.contrail32Cw; };
      agent = c.contrail.vrouterAgent // { configurationFilepath = baseNameOf c.contrail.vrouterAgent.configurationFilepath; };
      hosts = c.networking.hosts;
      vgw = { inherit (c.systemd.services.addVGW) after wantedBy serviceConfig script; };
    }`) as { imports: string[]; vgw: { script: string } };
    expect(vrouter.imports).toHaveLength(2);
    expect(vrouter.imports[0]).toMatch(/\/modules\/compute-node\.nix$/);
    expect(vrouter).toMatchObject({
      memorySize: 1024,
      vlans: [1, 2],
      args: { isContrailMaster: false, isContrail32: true, contrailPkgs: true },
      agent: {
        enable: true,
        provisionning: false,
        contrailInterfaceName: "eth2",
        configurationFilepath: expect.stringMatching(/^[a-z0-9]{32}-contrail-vrouter-agent\.conf$/),
      },
      hosts: {
        "192.168.1.1": ["identity-admin.dev0.loc.cloudwatt.net", "identity.dev0.loc.cloudwatt.net"],
      },
      vgw: {
        after: ["contrailVrouterAgent.service"],
        wantedBy: ["multi-user.target"],
        serviceConfig: { Type: "oneshot", RemainAfterExit: true },
      },
    });
    expect(normalise(vrouter.vgw.script).split(/\s+/).join(" ").trim()).toBe(
      '<store>/wait-for/bin/wait-for localhost:9091 <store>/contrail-config-utils/bin/provision_vgw_interface.py --oper create \\ --interface vgw --subnets 10.0.0.0/24 --routes 0.0.0.0/0 \\ --vrf "default-domain:service:public:public"',
    );
  }, 240_000);

  it("edits the infrastructure and keystone sources as the test needs", () => {
    const dir = tempDir("contrail-sources-");
    const tree = (name: string, files: Record<string, string>) => {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, name, path)), { recursive: true });
        writeFileSync(join(dir, name, path), content);
      }
      return join(dir, name);
    };
    const infra = tree("infra", {
      "docker-compose/infrastructure.yml": "    image: r.cwpriv.net/development/dnsmasq:latest\n",
      "docker-compose/Makefile":
        "infrastructure-up:\n\t@docker-compose -f infrastructure.yml up\nopenstack-up:\n\t@docker-compose -f openstack.yml up\n",
      "docker-compose/openstack.yml":
        '      - "RABBITMQ_USERS=nova,neutron"\n      - "RABBITMQ_VHOSTS=nova,neutron"\n      - "MYSQL_DATABASES=nova,keystone"\n',
    });
    const keystone = tree("keystone", {
      Makefile: "dev-up:\n\t@docker-compose up\n",
      "docker-compose.yml": "    image: r.cwpriv.net/keystone/all:9.0.0-1\n",
    });
    const built = (attr: string, src: string) => {
      const result = run("nix-build", [
        "--no-out-link",
        "-E",
        `(import ${join(REPO, "generated")} { nixpkgs = ${HARNESS_PROFILES["nixpkgs-18.03"]}; contrail = ${CONTRAIL_HARNESS}; }).test.contrail.${attr}.overrideAttrs (_: { src = ${src}; })`,
      ]);
      expect(result.status, result.stderr).toBe(0);
      return result.stdout.trim();
    };
    const i = built("infrastructure", infra);
    expect(readFileSync(`${i}/docker-compose/infrastructure.yml`, "utf8")).toBe(
      "    image: r.cwpriv.net/eon/dnsmasq:latest\n",
    );
    expect(readFileSync(`${i}/docker-compose/Makefile`, "utf8")).toBe(
      "infrastructure-up:\n\t@docker-compose -f infrastructure.yml up -d\nopenstack-up:\n\t@docker-compose -f openstack.yml up -d\n",
    );
    expect(readFileSync(`${i}/docker-compose/openstack.yml`, "utf8")).toBe(
      '      - "RABBITMQ_USERS=opencontrail"\n      - "RABBITMQ_VHOSTS=opencontrail"\n      - "MYSQL_DATABASES=keystone"\n',
    );
    const k = built("keystone", keystone);
    expect(readFileSync(`${k}/Makefile`, "utf8")).toBe("dev-up:\n\t@docker-compose up -d\n");
    expect(readFileSync(`${k}/docker-compose.yml`, "utf8")).toBe(
      "    image: r.cwpriv.net/keystone/all:latest\n",
    );
    // A source without the line an edit expects is an error, not a silent no-op.
    const stale = tree("stale", {
      Makefile: "dev-up:\n\t@docker-compose up -d\n",
      "docker-compose.yml": "",
    });
    const result = run("nix-build", [
      "--no-out-link",
      "-E",
      `(import ${join(REPO, "generated")} { nixpkgs = ${HARNESS_PROFILES["nixpkgs-18.03"]}; contrail = ${CONTRAIL_HARNESS}; }).test.contrail.keystone.overrideAttrs (_: { src = ${stale}; })`,
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("keystone: Makefile has no line matching @docker-compose up$");
  }, 240_000);

  it("copies the contrail docker-compose stack: services, Makefile targets, Consul and Vault data", () => {
    const stack = build("test.contrail.stack", "nixpkgs-18.03");
    const compose = JSON.parse(readFileSync(`${stack}/contrail.yml`, "utf8"));
    expect(compose.version).toBe("2.2");
    expect(compose.networks.default.external.name).toBe("dockercompose_cloudwatt");
    const services = compose.services as Record<string, Record<string, unknown>>;
    expect(Object.keys(services).sort()).toEqual([
      "analytics",
      "api",
      "cassandra",
      "control",
      "discovery",
      "schema",
      "svc-monitor",
      "vrouter",
      "vrouter-master",
      "zookeeper",
    ]);
    for (const s of Object.values(services)) {
      expect(s.dns).toBe("172.18.10.10");
      expect(s.dns_search).toBe("dev0.loc.cloudwatt.net");
    }
    const expected: Record<
      string,
      { image: string; ports: string[]; labels: string[]; env: string[] }
    > = {
      cassandra: {
        image: "cassandra:2.1.9",
        ports: ["9160:9160", "9042:9042"],
        labels: [
          "SERVICE_9160_NAME=opencontrail-config-cassandra",
          "SERVICE_9042_NAME=opencontrail-analytics-cassandra",
          "SERVICE_7000_IGNORE=true",
          "SERVICE_7001_IGNORE=true",
          "SERVICE_7199_IGNORE=true",
        ],
        env: ["service=cassandra", "VAULT_TOKEN=$VAULT_TOKEN"],
      },
      zookeeper: {
        image: "zookeeper:3.4.11",
        ports: ["2181:2181"],
        labels: [
          "SERVICE_2181_NAME=opencontrail-config-zookeeper",
          "SERVICE_2888_IGNORE=true",
          "SERVICE_3888_IGNORE=true",
        ],
        env: ["service=zookeeper", "VAULT_TOKEN=$VAULT_TOKEN"],
      },
      api: {
        image: "opencontrail/api:latest",
        ports: ["8082:8082", "8443:8443", "8084"],
        labels: [
          "SERVICE_8082_NAME=opencontrail-api",
          "SERVICE_8443_NAME=opencontrail-ifmap",
          "SERVICE_8084_IGNORE=true",
        ],
        env: [
          "application=contrail",
          "service=api",
          "VAULT_TOKEN=$VAULT_TOKEN",
          "openstack_region=dev0",
        ],
      },
      discovery: {
        image: "opencontrail/discovery:latest",
        ports: ["5998:5998"],
        labels: ["SERVICE_NAME=opencontrail-discovery"],
        env: ["application=contrail", "service=discovery", "VAULT_TOKEN=$VAULT_TOKEN"],
      },
      control: {
        image: "opencontrail/control:latest",
        ports: ["8083:8083", "5222:5222", "5269:5269"],
        labels: [
          "SERVICE_8083_NAME=opencontrail-control",
          "SERVICE_5222_IGNORE=true",
          "SERVICE_5269_IGNORE=true",
        ],
        env: ["application=contrail", "service=control", "VAULT_TOKEN=$VAULT_TOKEN"],
      },
      schema: {
        image: "opencontrail/schema-transformer:latest",
        ports: ["8087:8087"],
        labels: ["SERVICE_NAME=opencontrail-schema-transformer"],
        env: [
          "application=contrail",
          "service=schema",
          "VAULT_TOKEN=$VAULT_TOKEN",
          "openstack_region=dev0",
        ],
      },
      "svc-monitor": {
        image: "opencontrail/svc-monitor:latest",
        ports: ["8088:8088"],
        labels: ["SERVICE_NAME=opencontrail-svc-monitor"],
        env: [
          "application=contrail",
          "service=svc-monitor",
          "VAULT_TOKEN=$VAULT_TOKEN",
          "openstack_region=dev0",
        ],
      },
      analytics: {
        image: "opencontrail/analytics:latest",
        ports: ["8081:8081", "8090:8090", "8086:8086", "8089:8089", "6379:6379", "8091:8001"],
        labels: [
          "SERVICE_8081_NAME=opencontrail-analytics-api",
          "SERVICE_8086_NAME=opencontrail-collector",
          "SERVICE_8091_NAME=opencontrail-query-engine",
          "SERVICE_8090_IGNORE=true",
          "SERVICE_8089_IGNORE=true",
          "SERVICE_6379_IGNORE=true",
        ],
        env: [
          "application=contrail",
          "service=analytics",
          "VAULT_TOKEN=$VAULT_TOKEN",
          "openstack_region=dev0",
        ],
      },
      "vrouter-master": {
        image: "vrouter:latest",
        ports: ["8085:8085"],
        labels: ["SERVICE_NAME=opencontrail-vrouter-master"],
        env: [
          "application=contrail",
          "service=vrouter-master",
          "START_VDE_SWITCH=1",
          "COMPUTE_NUMBER=1",
        ],
      },
      vrouter: {
        image: "vrouter:latest",
        ports: ["8085"],
        labels: ["SERVICE_NAME=opencontrail-vrouter"],
        env: ["application=contrail", "service=vrouter", "COMPUTE_NUMBER=2"],
      },
    };
    for (const [name, e] of Object.entries(expected)) {
      const s = services[name]!;
      expect(s.image, name).toBe(e.image);
      expect(s.ports, name).toEqual(e.ports);
      expect([...(s.labels as string[])].sort(), name).toEqual([...e.labels].sort());
      expect(s.environment, name).toEqual(e.env);
    }
    expect(services.api!.depends_on).toEqual(["zookeeper", "cassandra"]);
    expect(services.vrouter!.depends_on).toEqual(["api", "vrouter-master"]);
    for (const name of ["vrouter-master", "vrouter"]) {
      expect(services[name]!.devices).toEqual(["/dev/kvm"]);
      expect(services[name]!.volumes).toEqual(["./vde-switch/:/tmp/vde/"]);
    }

    const gremlin = JSON.parse(readFileSync(`${stack}/gremlin.yml`, "utf8"));
    expect(gremlin.version).toBe("2");
    expect(gremlin.services["gremlin-server"]).toMatchObject({
      image: "gremlin/server:latest",
      environment: ["service=gremlin-server", "VAULT_TOKEN=$VAULT_TOKEN"],
      labels: ["SERVICE_8182_NAME=gremlin-server"],
      ports: ["8182:8182"],
    });

    const makefile = readFileSync(`${stack}/Makefile`, "utf8");
    expect(makefile).toMatch(/^VAULT_TOKEN \?= vault-root-token$/m);
    const recipe = (target: string) =>
      new RegExp(`^${target.replace(/[%]/g, "\\$&")}:[^\\n]*\\n((?:\\t[^\\n]*\\n)+)`, "m").exec(
        makefile,
      )?.[1] ?? "";
    expect(recipe("dev-consul-data")).toContain(
      "r.cwpriv.net/consul/agent:latest load-consul-data",
    );
    expect(recipe("dev-consul-data")).toContain("/consul-data:/data");
    expect(recipe("dev-vault-data")).toContain(
      "r.cwpriv.net/development/vault:latest vaultctl --vault-addr https://vault.service:8200 sync -c /vault-data.yml",
    );
    expect(recipe("contrail-service-user")).toContain(
      "-e openstack_region=dev0 -e VAULT_TOKEN -e OPENSTACK_TOOLS_APPLICATIONS=opencontrail r.cwpriv.net/openstack/tools:latest create-service-users opencontrail",
    );
    for (const target of ["dev-consul-data", "dev-vault-data", "contrail-service-user"]) {
      expect(recipe(target)).toContain(
        "--dns=172.18.10.10 --dns-search=dev0.loc.cloudwatt.net --network=dockercompose_cloudwatt -l SERVICE_IGNORE=1",
      );
    }
    expect(makefile).toMatch(/^contrail-up: dev-consul-data dev-vault-data$/m);
    expect(recipe("contrail-scale")).toContain(
      "up --scale api=2 --scale control=2 --scale discovery=2",
    );
    expect(recipe("contrail-clean")).toBe("\t@docker-compose -f contrail.yml down --volumes\n");
    expect(recipe("contrail-provision")).toBe("\t@./provision\n");
    expect(recipe("contrail-test")).toBe("\t@./check-contrail\n");
    expect(recipe("gremlin-up")).toBe("\t@docker-compose -f gremlin.yml up\n");
    expect(recipe("gremlin-clean")).toBe("\t@docker-compose -f gremlin.yml down --volumes\n");
    expect(recipe("print-%")).toBe("\t@echo '$($*)'\n");

    expect(
      JSON.parse(readFileSync(`${stack}/consul-data/consul-config_opencontrail_data.json`, "utf8")),
    ).toEqual({
      log_level: "SYS_INFO",
      api: { log_level: "SYS_DEBUG" },
      schema_transformer: { log_level: "SYS_DEBUG" },
    });
    expect(JSON.parse(readFileSync(`${stack}/vault-data.yml`, "utf8"))).toEqual({
      secrets: [
        {
          path: "secret/opencontrail",
          values: {
            queue_password: "development",
            ifmap_password: "development",
            service_password: "development",
          },
        },
      ],
    });
    expect(readFileSync(`${stack}/create_project.py`, "utf8")).toContain(
      "Resource('project', fq_name=['default-domain', 'service'], parent=domain).save()",
    );
    const provision = readFileSync(`${stack}/provision`, "utf8");
    expect(provision).toContain('"router-asn": 64518');
    expect(provision).toContain('{"vrouter-ip": "192.168.2.1", "vrouter-name": "compute-01"}');
    expect(provision).toContain('{"vrouter-ip": "192.168.2.2", "vrouter-name": "compute-02"}');
    expect(JSON.parse(readFileSync(`${stack}/provision.json`, "utf8")).provision.vn).toEqual([
      { "virtual-network-name": "vn1", subnets: ["20.1.1.0/24"] },
    ]);
  }, 240_000);
});

/** Store paths written `<store>/<name>`, versions kept. */
const withStoreNames = (text: string) =>
  text.replace(/\/nix\/store\/[a-z0-9]{32}-([^/\s"']+)/g, (_, name: string) => `<store>/${name}`);

describe.skipIf(!enabled)("test.infraK8S and test.keystoneK8S: modules and manifests", () => {
  const region = "dev0";
  const domain = "dev0.loc.cloudwatt.net";

  it("infraK8S: the script checks the units, the external service, kube2consul, Vault and fluentd", () => {
    const text = script("test.infraK8S", "nixpkgs-18.03");
    for (const unit of ["docker", "kube-bootstrap", "rabbitmq-bootstrap", "vault", "consul"]) {
      expect(text).toContain(`$master->waitForUnit('${unit}.service');`);
    }
    expect(text).toContain("$master->succeed('grep -q foo /etc/hosts');");
    expect(text).toMatch(
      /su -s \/nix\/store\/[a-z0-9]{32}-bash-[^/]+\/bin\/bash rabbitmq -c \\'rabbitmqctl list_users\\' \| grep -q foo/,
    );
    expect(text).toContain("curl -s consul:8500/v1/catalog/services | grep -q foo-queue");
    expect(text).toContain("kubectl get pods -l application=test | wc -l | grep -q 3");
    expect(text).toContain("curl -s consul:8500/v1/catalog/services | grep -q test-service1");
    expect(text).toContain("-- ping -c1 test-service2.service");
    expect(text).toContain("cat /run/consul-template-wrapper/result | grep -q plop");
    expect(text).toContain("journalctl --unit fluentd --no-pager | grep -q service1");
  }, 240_000);

  it("infraK8S: the node's options and the test manifests", () => {
    const k8s = {
      options: evalJSON("test.infraK8S.k8s.options"),
      manifests: evalJSON("test.infraK8S.k8s.manifests"),
    } as Record<string, any>;
    expect(k8s.options.infra.k8s.externalServices).toEqual({
      foo: { address: "169.254.1.100", port: 2222 },
    });
    expect(k8s.options.infra.k8s.consulData).toEqual({ service2: { data: "foo" } });
    expect(k8s.options.infra.k8s.vaultData).toEqual({ "secret/service2": { password: "plop" } });
    expect(k8s.options.rabbitmq.k8s.vhosts).toEqual(["foo"]);
    const d1 = JSON.parse(k8s.manifests["service1.deployment.json"]);
    expect(d1.apiVersion).toBe("extensions/v1beta1");
    expect(d1.metadata.name).toBe("test-service1");
    expect(d1.spec.template.metadata.labels).toEqual({ application: "test", service: "service1" });
    expect(d1.spec.template.spec.dnsPolicy).toBe("Default");
    expect(d1.spec.template.spec.terminationGracePeriodSeconds).toBe(1200);
    expect(d1.spec.template.spec.volumes).toEqual([{ name: "config", emptyDir: {} }]);
    const c1 = d1.spec.template.spec.containers[0];
    expect(c1.image).toBe("test/service1:latest");
    expect(c1.ports).toBeUndefined();
    expect(c1.env[0]).toEqual({
      name: "openstack_region",
      valueFrom: { configMapKeyRef: { name: "openstack", key: "region" } },
    });
    const d2 = JSON.parse(k8s.manifests["service2.deployment.json"]);
    const spec2 = d2.spec.template.spec;
    expect(spec2.securityContext).toEqual({ fsGroup: 65534 });
    expect(spec2.volumes[1]).toEqual({
      name: "vault-token",
      flexVolume: { driver: "cloudwatt/vaulttmpfs", options: { "vault/policies": "service2" } },
    });
    // The merge joins lists: the template's env, then the container's own.
    expect(spec2.containers[0].env.map((e: { name: string }) => e.name)).toEqual([
      "openstack_region",
      "application",
      "service",
      "test",
    ]);
    expect(spec2.containers[0].volumeMounts).toEqual([
      { name: "config", mountPath: "/run/consul-template-wrapper" },
      { name: "vault-token", mountPath: "/run/vault-token" },
    ]);
    expect(JSON.parse(k8s.manifests["service1.service.json"])).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "test-service1" },
      spec: {
        clusterIP: null,
        ports: [{ port: 1 }],
        selector: { application: "test", service: "service1" },
      },
    });
  }, 240_000);

  it("infraK8S: hosts, DNS, stage 1 manifests and the Vault, Consul and bootstrap scripts", () => {
    // Stage 2 and calico-kube-controllers name images of the set: checked below.
    const infra = Object.fromEntries(
      [
        "hosts",
        "loopbackAddresses",
        "dnsmasqConfig",
        "kubeletResolvConf",
        "dockerDaemon",
        "openstackConfigMap",
        "consulServiceFiles",
        "fluentdConf",
        "vaultPostStart",
        "consulPostStart",
        "kubeBootstrap",
      ].map((key) => [key, evalJSON(`test.infraK8S.k8s.infra.${key}`)]),
    ) as Record<string, any>;
    infra.stage1 = Object.fromEntries(
      ["podPreset", "calicoConfigMap", "calicoNodeDaemonSet"].map((key) => [
        key,
        evalJSON(`test.infraK8S.k8s.infra.stage1.${key}`),
      ]),
    );
    expect(infra.hosts["169.254.1.12"]).toEqual(["api.localdomain", `api.${domain}`, "api"]);
    expect(infra.hosts["192.168.1.1"]).toEqual([`master.${domain}`, "master"]);
    expect(infra.hosts["169.254.1.100"]).toEqual(["foo.localdomain", "foo"]);
    expect(infra.hosts["169.254.1.50"]).toEqual(["foo-queue.localdomain", "foo-queue"]);
    expect(infra.loopbackAddresses).toContainEqual({ address: "169.254.1.100", prefixLength: 32 });
    expect(infra.dnsmasqConfig).toBe(
      `bind-interfaces\nno-negcache\nserver=/localdomain/\nserver=/node.${domain}/169.254.1.11#8600\nserver=/query.${domain}/169.254.1.11#8600\nserver=/service.${domain}/169.254.1.11#8600\n`,
    );
    expect(infra.kubeletResolvConf).toBe(
      `search ${domain}\nnameserver 169.254.1.10\noptions timeout:1\n`,
    );
    expect(infra.dockerDaemon).toEqual({ "dns-opts": ["ndots:2"] });
    expect(infra.openstackConfigMap).toContain(`region: ${region}`);
    expect(infra.consulServiceFiles["consul.d/foo.json"]).toEqual({
      text: JSON.stringify({ service: { address: "169.254.1.100", name: "foo", port: 2222 } }),
    });
    const { stage1 } = infra;
    expect(stage1.podPreset.spec.env).toEqual([
      { name: "VAULT_ADDR", value: "http://vault.localdomain:8200" },
      { name: "CONSUL_LOG_LEVEL", value: "debug" },
      { name: "no_proxy", value: "*" },
    ]);
    expect(stage1.calicoConfigMap.data).toEqual({
      etcd_ca: "/calico-secrets/etcd-ca",
      etcd_cert: "/calico-secrets/etcd-cert",
      etcd_key: "/calico-secrets/etcd-key",
      calico_backend: "bird",
    });
    const node = stage1.calicoNodeDaemonSet.spec.template.spec.containers[0];
    expect(node.image).toBe("quay.io/calico/node:v3.1.3");
    const env = Object.fromEntries(
      node.env.filter((e: any) => "value" in e).map((e: any) => [e.name, e.value]),
    );
    expect(env).toMatchObject({
      ETCD_ENDPOINTS: `https://etcd.${domain}:2379`,
      CLUSTER_TYPE: "k8s,bgp",
      CALICO_IPV4POOL_CIDR: "10.1.0.0/16",
      CALICO_IPV4POOL_IPIP: "Always",
      FELIX_IPINIPMTU: "1440",
      IP: "autodetect",
    });
    expect(node.livenessProbe).toEqual({
      httpGet: { path: "/liveness", port: 9099 },
      periodSeconds: 10,
      initialDelaySeconds: 10,
      failureThreshold: 6,
    });
    expect(withStoreNames(infra.fluentdConf)).toMatch(/^<store>\/fluentd\.conf$/);
    const vault = withStoreNames(infra.vaultPostStart);
    expect(vault).toContain(
      'vault policy write service2 - <<\'EOF\'\npath "secret/service2" {\n  policy = "read"\n}\nEOF\n',
    );
    expect(vault).toContain("cat <store>/secret_service2.json | vault write secret/service2 -\n");
    expect(vault).toContain("vault write auth/token/roles/applications -");
    expect(vault).toContain(
      'vault token create -orphan -period=86400 -renewable=true -policy=applications_token_creator -metadata="applications=kubernetes-flexvolume-vault-plugin" -id vaulttmpfs\n',
    );
    expect(withStoreNames(infra.consulPostStart)).toBe(
      "wait-for consul.localdomain:8500 -q\ncurl -X PUT -d @<store>/service2.json http://consul.localdomain:8500/v1/kv/service2\n",
    );
    expect(infra.kubeBootstrap).toContain("wait-for localhost:8080 -q -t 300\n");
    expect(infra.kubeBootstrap).toContain("kubectl apply -f /etc/kubernetes/openstack\n");
    expect(infra.kubeBootstrap).toContain("--group=system:serviceaccounts\n");
    const rabbit = evalJSON("test.infraK8S.k8s.rabbitmqBootstrap");
    expect(rabbit).toBe(
      "rabbitmqctl add_user foo development\nrabbitmqctl add_vhost foo\n" +
        "rabbitmqctl set_policy -p foo ha-all '^(?!amq\\.).*' '{\"ha-mode\":\"all\"}'\n" +
        "rabbitmqctl set_permissions -p foo foo '.*' '.*' '.*'\n",
    );
  }, 240_000);

  it("keystoneK8S: the script, the Keystone manifests, openrc files and provisioning", () => {
    const text = script("test.keystoneK8S", "nixpkgs-18.03");
    expect(text).toContain("$master->waitForUnit('keystone.service');");
    expect(text).toContain("grep -q keystone-admin-api");
    expect(text).toContain("openstack catalog list | grep -q identity");
    const k = evalJSON("test.keystoneK8S.k8s.keystone") as Record<string, any>;
    const api = JSON.parse(k.manifests["api.deployment.json"]);
    const admin = JSON.parse(k.manifests["admin-api.deployment.json"]);
    expect(api.metadata.name).toBe("keystone-api");
    expect(admin.metadata.name).toBe("keystone-admin-api");
    const c = admin.spec.template.spec.containers[0];
    expect(c.image).toBe("r.cwpriv.net/keystone/all:9.0.0-61516ea9ed2202a1");
    expect(c.ports).toEqual([{ containerPort: 35357 }]);
    expect(api.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 5000 }]);
    expect(c.livenessProbe).toEqual({
      httpGet: { path: "/", port: 1988 },
      initialDelaySeconds: 10,
      periodSeconds: 30,
      timeoutSeconds: 15,
    });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/ready", port: 1988 });
    expect(c.lifecycle).toEqual({ preStop: { exec: { command: ["/usr/sbin/stop-container"] } } });
    expect(admin.spec.template.spec.volumes).toEqual([
      { name: "config", emptyDir: {} },
      {
        name: "vault-token",
        flexVolume: { driver: "cloudwatt/vaulttmpfs", options: { "vault/policies": "keystone" } },
      },
      {
        name: "vault-token-keystone-keys",
        flexVolume: {
          driver: "cloudwatt/vaulttmpfs",
          options: {
            "vault/policies": "fernet-keys-read",
            "vault/role": "periodic-fernet-reader",
            "vault/filePermissions": "640",
            "vault/unwrap": "true",
          },
        },
      },
    ]);
    expect(JSON.parse(k.manifests["admin-api.service.json"]).spec.selector).toEqual({
      application: "keystone",
      service: "admin-api",
    });
    const adminUrl = `http://keystone-admin-api.service.${domain}:35357/v2.0`;
    expect(k.adminTokenOpenrc).toBe(`export OS_URL=${adminUrl}\nexport OS_TOKEN=development\n`);
    expect(k.adminOpenrc).toContain(`export OS_AUTH_URL=${adminUrl}\n`);
    expect(k.adminOpenrc).toContain(`export OS_REGION_NAME=${region}\n`);
    expect(k.adminOpenrc).toContain("export OS_INTERFACE=admin\n");
    expect(k.provision).toContain(
      `openstack endpoint create --region ${region} --adminurl ${adminUrl} --internalurl http://keystone-api.service.${domain}:5000/v2.0 --publicurl http://keystone-api.service.${domain}:5000/v2.0 identity\n`,
    );
    expect(k.provision).toContain(
      'openstack service create --description "foo service" --name foo foo\n',
    );
    expect(k.provision).toContain("openstack role create test\n");
    expect(k.provision).toContain("openstack user create --password 'test' test\n");
    expect(k.provision).toContain("openstack role add --project test --user test test\n");
    expect(k.provision).toContain("openstack role add --project openstack --user admin admin\n");
    expect(Object.keys(k.infra.consulData)).toEqual([`config/openstack/catalog/${region}/data`]);
    expect(k.infra.vaultData["secret/fernet-keys"]).toEqual({
      creation_time: 1519801272,
      period: 61536000,
      keys: [
        "1tJnlk8E8KPcUoI0zdvm0Ya9g1EnEPovKiIDTOZtH6g=",
        "GIqEyxCbcrNVbaFD6iHYmVR7ktZZyH7brYFrA8yv5H4=",
        "QT811eEHXpLvprOiCgnI5DLddx_rA5xD7TDgx0cM_3A=",
      ],
      ttl: "3600s",
    });
    expect(k.infra.vaultRoles["periodic-fernet-reader"].allowed_policies).toBe("fernet-keys-read");
    expect(k.infra.vaultPolicies.keystone).toEqual({ "secret/keystone": { policy: "read" } });
    expect(k.mysqlBootstrap).toContain(
      "CREATE USER IF NOT EXISTS 'keystone'@'%' IDENTIFIED BY 'development';",
    );
    expect(k.mysqlBootstrap).toContain("GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'%';");
  }, 240_000);

  // The calico-kube-controllers and kube2consul manifests name the images of the set.
  const images = ["kube2consulWorker", "calicoKubeControllers"].every((i) =>
    existsSync(join(REPO, `packages/dockerImages/${i}.yaml`)),
  );
  it.skipIf(!images)(
    "infraK8S: the calico-kube-controllers and kube2consul manifests",
    () => {
      const infra = evalJSON("test.infraK8S.k8s.infra") as Record<string, any>;
      const ctl = infra.stage1.calicoKubeControllersDeployment.spec.template.spec;
      expect(ctl.containers[0].image).toMatch(/^calico\/kube-controllers:/);
      const k2c = infra.stage2.kube2consulDeployment.spec.template.spec;
      expect(k2c.containers[0].image).toMatch(/^kube2consul\/worker:/);
      expect(k2c.containers[0].livenessProbe).toEqual({
        httpGet: { path: "/health", port: 8080 },
        initialDelaySeconds: 10,
        periodSeconds: 30,
        timeoutSeconds: 15,
      });
    },
    240_000,
  );
});
