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
