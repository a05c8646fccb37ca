// Kernel headers, vrouter modules, Debian packages, the Ubuntu VM tool and the sec Hydra project
// (applications-and-tools.md §1.15, §2, §3.4; debian-packages.md; ci-and-publishing.md §2.3),
// built with the offline harness under both nixpkgs profiles and checked against the reference's
// facts: URLs and hashes, names, the layout of each .deb and the jobsets of the sec CI.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CONTRAIL_HARNESS,
  HARNESS_PROFILES,
  REPO,
  currentStops,
  nixEval,
  nixTestsEnabled,
  packageSetExpr,
  run,
} from "./helpers.ts";

/** What the upgrade report says stops under a current nixpkgs. */
const STOPS = await currentStops(REPO);

process.env.NIX_CONFIG = "substituters =\n";

const GENERATED = join(REPO, "generated");
const ARCHIVE = "http://fr.archive.ubuntu.com/ubuntu/pool/main/l/linux/";

/** The six kernels: version, Ubuntu upload, hashes of the amd64 and all .deb (as the reference). */
const KERNELS: [string, string, string, string][] = [
  [
    "3.13.0-83",
    "127",
    "f8b5431798c315b7c08be0fb5614c844c38a07c0b6656debc9cc8833400bdd98",
    "7281be1ab2dc3b5627ef8577402fd3e17e0445880d22463e494027f8e904e8fa",
  ],
  [
    "3.13.0-112",
    "159",
    "0kjj6zkr8yh79haj7xqdqndwq2rhcvs53wzkgfa666q939dh4dr0",
    "1irx346ifqbirz4pfncpz1spynhy3hmy1y3sfmva339vx6a224y9",
  ],
  [
    "3.13.0-125",
    "174",
    "0s231qkf5bjdnaj103xxv1wwspy4vlgbsgzk93254ixqvsjh5hbr",
    "1hbb6z1i5xjx68nssxm90jr6h142n8cphbi8z688cz05zrnzlk60",
  ],
  [
    "3.13.0-141",
    "190",
    "77534d51d1b98f683ef207a0f93a8c9ef349c1a1db9bc672950b7c22693d2fcd",
    "0q3k5p0iihnnkc2vgcrkib7ix1v66ci2bpw1dq0f28sj3mxnbv41",
  ],
  [
    "3.13.0-143",
    "192",
    "de5afb956c5518e834d24b4aaf66f7ef7480c2204712aef61f2672ea832d8774",
    "c36477034bf0bf112698393e8ed7879d9afff20775c99c6d2dfa39fad21bd61c",
  ],
  [
    "4.4.0-101",
    "124",
    "0sm03g37ndp5hyxkk8sszy5jkwcp1css2nlpyw4jsw57kwncrmx6",
    "1zxnwm1a4y9lfszl8idh0kcirwyy78ml4s54kb1hxfm88kllhbcc",
  ],
];

const attrOf = (kernel: string) => `${kernel.replace(/[.-]/g, "_")}_generic`;

function ok(result: { status: number; stdout: string; stderr: string }): string {
  if (result.status !== 0) throw new Error(result.stderr || result.stdout);
  return result.stdout;
}

/** One line per member of a .deb's data archive: `<type><path>[ -> <target>]`. */
function members(deb: string): string[] {
  return ok(run("dpkg-deb", ["--contents", deb]))
    .trim()
    .split("\n")
    .map((line) => {
      const fields = line.split(/\s+/);
      const rest = fields.slice(5).join(" ");
      return `${fields[0]![0]}${rest}`;
    });
}

describe("the sec Hydra project (spec-sec.json)", () => {
  it("has the spec of the original, evaluating its own jobsets generator", () => {
    const spec = JSON.parse(readFileSync(join(GENERATED, "ci/sec/spec.json"), "utf8")) as unknown;
    expect(spec).toEqual({
      enabled: 1,
      hidden: false,
      description: "Build master of nixpkgs-cloudwatt",
      nixexprinput: "cloudwatt",
      nixexprpath: "generated/ci/sec/jobsets.nix",
      checkinterval: 60,
      schedulingshares: 100,
      enableemail: false,
      emailoverride: "",
      keepnr: 3,
      inputs: {
        cloudwatt: {
          type: "git",
          value: "https://git.sec.cloudwatt.com/applications/nixpkgs-cloudwatt master keepDotGit",
          emailresponsible: false,
        },
        nixpkgs: {
          type: "git",
          value:
            "https://git.sec.cloudwatt.com/applications/nixpkgs acd89daabcb47cb882bc72ffc2d01281ed1fecb8",
          emailresponsible: false,
        },
      },
    });
  });
});

describe.runIf(nixTestsEnabled())("kernel headers, vrouter modules and Debian packages", () => {
  describe.each(Object.entries(HARNESS_PROFILES))("with the %s harness", (profile, harness) => {
    // What stops under a current nixpkgs is checked to stop (test/upgrade-report.test.ts).
    const stops = (attribute: string) => profile === "nixpkgs-current" && STOPS.has(attribute);
    const args = ["--arg", "nixpkgs", harness, "--arg", "contrail", CONTRAIL_HARNESS];
    const evalJson = (expr: string): unknown =>
      nixEval(["-E", `let set = ${packageSetExpr(harness)}; in ${expr}`]);
    const build = (attr: string): string =>
      ok(run("nix-build", [GENERATED, "-A", attr, "--no-out-link", ...args])).trim();

    it("fetches the two .deb files of each kernel's headers, with the reference's hashes", () => {
      const got = evalJson(
        `builtins.mapAttrs (_: h: { inherit (h) name; srcs = map (s: s.description) h.srcs; }) set.ubuntuKernelHeaders`,
      );
      expect(got).toEqual(
        Object.fromEntries(
          KERNELS.map(([kernel, upload, amd64, all]) => [
            `ubuntuKernelHeaders_${attrOf(kernel)}`,
            {
              name: `ubuntu-kernel-headers-${kernel}-generic`,
              srcs: [
                `fetchurl ${ARCHIVE}linux-headers-${kernel}-generic_${kernel}.${upload}_amd64.deb sha256:${amd64}`,
                `fetchurl ${ARCHIVE}linux-headers-${kernel}_${kernel}.${upload}_all.deb sha256:${all}`,
              ],
            },
          ]),
        ),
      );
    });

    it.skipIf(stops("contrail32Cw"))(
      "builds one vrouter module per kernel, against that kernel's headers",
      () => {
        const got = evalJson(
          `builtins.listToAttrs (map (k: { name = k; value = { inherit (set.contrail32Cw.\${k}) name; headers = set.contrail32Cw.\${k}.kernelHeaders.name; }; }) (builtins.filter (n: builtins.substring 0 15 n == "vrouter_ubuntu_") (builtins.attrNames set.contrail32Cw)))`,
        );
        expect(got).toEqual(
          Object.fromEntries(
            KERNELS.map(([kernel]) => [
              `vrouter_ubuntu_${attrOf(kernel)}`,
              {
                name: `contrail-vrouter-ubuntu-kernel-headers-${kernel}-generic`,
                headers: `ubuntu-kernel-headers-${kernel}-generic`,
              },
            ]),
          ),
        );
      },
    );

    it("names, versions and publishes the Debian packages as the original", () => {
      const got = evalJson(
        `builtins.mapAttrs (_: d: { inherit (d) name version repository; }) set.debianPackages`,
      ) as Record<string, unknown>;
      for (const [kernel] of KERNELS) {
        expect(got[`vrouter_ubuntu_${attrOf(kernel)}`]).toEqual({
          name: `contrail-vrouter-ubuntu-kernel-headers-${kernel}-generic.deb-3.2-6.deb`,
          version: "3.2-6",
          repository: "contrail",
        });
      }
      expect(got.contrailVrouterUserland).toEqual({
        name: "contrail-vrouter-userland-3.2-6.deb",
        version: "3.2-6",
        repository: "contrail",
      });
    });

    it.skipIf(stops("contrail32Cw")).each(KERNELS.map(([kernel]) => kernel))(
      "links vrouter.ko of kernel %s into the shipped store",
      (kernel) => {
        const deb = build(`debianPackages.vrouter_ubuntu_${attrOf(kernel)}`);
        const listing = members(deb);
        const ko = `lib/modules/${kernel}-generic/extra/net/vrouter/vrouter.ko`;
        const link = listing.find((m) => m.startsWith(`l./${ko} -> `));
        expect(link, listing.join("\n")).toBeDefined();
        const target = link!.split(" -> ")[1]!;
        expect(target).toMatch(
          new RegExp(
            `^/nix/store/[a-z0-9]{32}-contrail-vrouter-ubuntu-kernel-headers-${kernel}-generic/${ko}$`,
          ),
        );
        expect(listing).toContain(`-./var/opt${target}`);
        expect(listing).toContain("l./nix -> var/opt/nix");
        const control = ok(run("dpkg-deb", ["--field", deb, "Package", "Version"]));
        expect(control).toBe(
          `Package: contrail-vrouter-ubuntu-kernel-headers-${kernel}-generic.deb\nVersion: 3.2-6\n`,
        );
      },
    );

    it.skipIf(stops("debianPackages.contrailVrouterUserland"))(
      "ships the vrouter userland with its links, upstart job and maintainer scripts",
      () => {
        const deb = build("debianPackages.contrailVrouterUserland");
        const listing = members(deb);
        expect(listing).toContain("-./etc/init/contrail-vrouter-agent.conf");
        const agent = listing.find((m) => m.startsWith("l./usr/bin/contrail-vrouter-agent -> "));
        expect(agent, listing.join("\n")).toMatch(
          /-> \/nix\/store\/[a-z0-9]{32}-contrail-vrouter-agent-3\.2\/bin\/contrail-vrouter-agent$/,
        );
        expect(listing.filter((m) => m.startsWith("l./usr/bin/."))).toEqual([]);
        const scripts = ok(run("dpkg-deb", ["--info", deb]));
        expect(scripts).toMatch(/^\s+\d+ bytes,\s+\d+ lines\s+\*\s+postinst\s+#!\/bin\/sh$/m);
        expect(scripts).toMatch(/^\s+\d+ bytes,\s+\d+ lines\s+\*\s+postrm\s+#!\/bin\/sh$/m);
        const upstart = ok(
          run("sh", [
            "-c",
            `dpkg-deb --fsys-tarfile ${deb} | tar -xOf - ./etc/init/contrail-vrouter-agent.conf`,
          ]),
        );
        for (const fact of [
          'description "Contrail Vrouter Agent"',
          'author "OpenContrail developers <dev@lists.opencontrail.org>"',
          "start on (local-filesystems and net-device-up IFACE!=lo)",
          "stop on runlevel [!2345]",
          "chdir /var/run",
          "respawn",
          "COMMAND=/usr/bin/contrail-vrouter-agent",
          "CONF=/etc/contrail/contrail-vrouter-agent.conf",
          'OPTS="--config_file ${CONF}"',
          ". /etc/default/$UPSTART_JOB",
          'echo "Could not read ${CONF}: exiting"',
          "exec start-stop-daemon --start --pidfile /var/run/${UPSTART_JOB}.pid --exec $COMMAND -- $OPTS",
        ]) {
          expect(upstart).toContain(fact);
        }
      },
    );

    it.skipIf(stops("debianPackages.skydive"))(
      "ships the static skydive binary alone, in /usr/bin",
      () => {
        const got = evalJson(
          `{ inherit (set.debianPackages.skydive) name version repository; static = set.skydiveStatic.name; }`,
        );
        expect(got).toEqual({
          name: "skydive-0.18.0-1.deb",
          version: "0.18.0-1",
          repository: "skydive",
          static: "skydive-0.18.0",
        });
        const deb = build("debianPackages.skydive");
        expect(members(deb)).toEqual(["d./", "d./usr/", "d./usr/bin/", "-./usr/bin/skydive"]);
        const binary = ok(
          run("sh", ["-c", `dpkg-deb --fsys-tarfile ${deb} | tar -xOf - ./usr/bin/skydive`]),
        );
        const shipped = ok(
          run("nix-build", [GENERATED, "-A", "skydiveStatic", "--no-out-link", ...args]),
        );
        expect(binary).toBe(readFileSync(join(shipped.trim(), "bin/skydive"), "utf8"));
      },
    );

    it("generates the three jobsets of the sec CI", () => {
      const out = ok(
        run("nix-build", [
          join(GENERATED, "ci/sec/jobsets.nix"),
          "-A",
          "jobsets",
          "--no-out-link",
          "--arg",
          "nixpkgs",
          harness,
          "--arg",
          "declInput",
          "{}",
        ]),
      ).trim();
      const jobsets = JSON.parse(readFileSync(out, "utf8")) as Record<
        string,
        {
          description: string;
          keepnr: number;
          inputs: Record<string, { type: string; value: string }>;
        }
      >;
      const summary = Object.fromEntries(
        Object.entries(jobsets).map(([name, j]) => [
          name,
          {
            description: j.description,
            keepnr: j.keepnr,
            inputs: Object.fromEntries(
              Object.entries(j.inputs).map(([input, v]) => [input, `${v.type} ${v.value}`]),
            ),
          },
        ]),
      );
      const repo = "git https://git.sec.cloudwatt.com/applications/nixpkgs-cloudwatt";
      const bootstrap =
        "git https://git.sec.cloudwatt.com/applications/nixpkgs acd89daabcb47cb882bc72ffc2d01281ed1fecb8";
      const publish = {
        pushToDockerRegistry: "boolean true",
        publishToAptly: "boolean true",
        unsetProxyForSkopeo: "boolean true",
        unsetProxyForAptly: "boolean true",
        aptlyUrl: "string http://aptly-api.sec.cloudwatt.com/api",
      };
      expect(summary).toEqual({
        trunk: {
          description: "Build master of nixpkgs-cloudwatt",
          keepnr: 3,
          inputs: { cloudwatt: `${repo} master keepDotGit`, bootstrap_pkgs: bootstrap, ...publish },
        },
        testing: {
          description: "Build testing branch of nixpkgs-cloudwatt",
          keepnr: 1,
          inputs: { cloudwatt: `${repo} testing keepDotGit`, bootstrap_pkgs: bootstrap },
        },
        testingWithPublish: {
          description: "Build the testing-with-publish branch of nixpkgs-cloudwatt",
          keepnr: 1,
          inputs: {
            cloudwatt: `${repo} testing-with-publish keepDotGit`,
            bootstrap_pkgs: bootstrap,
            ...publish,
          },
        },
      });
    });

    it.skipIf(stops("tools.installDebianPackages"))(
      "boots the VM of tools.installDebianPackages with the 3.13.0-83 module and the userland",
      () => {
        const drv = ok(
          run("nix-instantiate", [GENERATED, "-A", "tools.installDebianPackages", ...args]),
        ).trim();
        const closure = ok(run("nix-store", ["--query", "--requisites", drv]));
        expect(closure).toMatch(
          /-contrail-vrouter-ubuntu-kernel-headers-3\.13\.0-83-generic\.deb-3\.2-6\.deb\.drv$/m,
        );
        expect(closure).toMatch(/-contrail-vrouter-userland-3\.2-6\.deb\.drv$/m);
      },
    );
  });
});
