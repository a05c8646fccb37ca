// The package set's own NixOS tests (test.*): every test and its driver instantiate under both
// harness profiles (tests built on images pinned by tag only stop with the "needs a digest"
// error under the current profile, by design), and the built drivers and stack runners carry
// the facts of the original tests: names, steps, ports, compose environment.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTRAIL_HARNESS, HARNESS_PROFILES, REPO, nixTestsEnabled, run } from "./helpers.ts";

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

/** Tests and whether they use images pinned by tag only (the default parent image). */
const TESTS: readonly { attr: string; name: string; needsDigest: boolean; needs?: string }[] = [
  { attr: "hydra", name: "hydra", needsDigest: true, needs: "packages/dockerImages/hydra.yaml" },
  { attr: "fluentd", name: "fluentd", needsDigest: true },
  { attr: "perp", name: "perp", needsDigest: true },
  { attr: "contrailLoadDatabase", name: "contrail-load-database", needsDigest: false },
  { attr: "gremlinDump", name: "gremlin-dump", needsDigest: false },
  // The k8s tests' scripts name no image: their drivers instantiate under both profiles.
  { attr: "infraK8S", name: "infra", needsDigest: false },
  { attr: "keystoneK8S", name: "keystone", needsDigest: false },
];

const enabled = nixTestsEnabled();

describe.skipIf(!enabled)("test.* instantiate", () => {
  for (const t of TESTS) {
    // test.hydra runs dockerImages.hydra, which the set must have.
    const present = t.needs === undefined || existsSync(join(REPO, t.needs));
    for (const profile of Object.keys(HARNESS_PROFILES) as Profile[]) {
      for (const attr of [`test.${t.attr}`, `test.${t.attr}.driver`]) {
        it.skipIf(!present)(
          `${attr} (${profile})`,
          () => {
            const result = instantiate(attr, profile);
            if (t.needsDigest && profile === "nixpkgs-current") {
              expect(result.status).not.toBe(0);
              expect(result.stderr).toContain("pulls images by digest");
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

/** `nix-instantiate --eval --strict --json` of an attribute, under the 18.03 profile. */
function evalJSON(attr: string): unknown {
  const result = run("nix-instantiate", [
    "--eval",
    "--strict",
    "--json",
    join(REPO, "generated"),
    "-A",
    attr,
    ...args("nixpkgs-18.03"),
  ]);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

const normalise = (text: string) =>
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
    expect(normalise(infra.fluentdConf)).toMatch(/^<store>\/fluentd\.conf$/);
    const vault = normalise(infra.vaultPostStart);
    expect(vault).toContain(
      'vault policy write service2 - <<\'EOF\'\npath "secret/service2" {\n  policy = "read"\n}\nEOF\n',
    );
    expect(vault).toContain("cat <store>/secret_service2.json | vault write secret/service2 -\n");
    expect(vault).toContain("vault write auth/token/roles/applications -");
    expect(vault).toContain(
      'vault token create -orphan -period=86400 -renewable=true -policy=applications_token_creator -metadata="applications=kubernetes-flexvolume-vault-plugin" -id vaulttmpfs\n',
    );
    expect(normalise(infra.consulPostStart)).toBe(
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
