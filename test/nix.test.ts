// The generated tree against stock Nix and the offline harness, under both nixpkgs API profiles
// (release-18.03 and current): it parses, every derivation instantiates, nix-env lists the
// images, a Hydra-style walk of jobset.nix finds only derivations, and the text outputs that
// define behaviour build byte for byte as expected.

import { cpSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generate } from "../generator/index.ts";
import {
  CONTRAIL_HARNESS,
  HARNESS_PROFILES,
  REPO,
  nixEval,
  nixTestsEnabled,
  normalise,
  packageSetExpr,
  currentStops,
  withoutAttributes,
  run,
  tempDir,
} from "./helpers.ts";

// Offline: builds must not wait for a binary cache that cannot be reached.
process.env.NIX_CONFIG = "substituters =\n";

/** The repository as a Nix path literal (no trailing slash). */
const REPO_PATH = join(REPO, ".");
const FIXTURE = join(REPO, "test/fixtures/reference");
const EXPECTED = join(FIXTURE, "expected");
const WALKERS = join(REPO, "test/nix/walkers");

function nixFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return nixFiles(path);
    return name.endsWith(".nix") ? [path] : [];
  });
}

function ok(result: { status: number; stdout: string; stderr: string }): string {
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

const evalJson = (expr: string, extra: string[] = []): unknown => nixEval([...extra, "-E", expr]);

/** A project root with the reference fixture generated into it, and a git checkout for jobs. */
let fixtureRoot = "";
let checkout = "";

describe.runIf(nixTestsEnabled())("generated tree with stock Nix", () => {
  beforeAll(async () => {
    fixtureRoot = tempDir("nixgen-fixture-");
    cpSync(join(FIXTURE, "packages"), join(fixtureRoot, "packages"), { recursive: true });
    const result = await generate({ root: fixtureRoot });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    checkout = tempDir("nixgen-checkout-");
    writeFileSync(join(checkout, "README"), "a checkout\n");
    const git = (...args: string[]) => ok(run("git", args, checkout));
    git("init", "-q");
    git("-c", "user.name=test", "-c", "user.email=test@example.invalid", "add", "README");
    git("-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-qm", "x");
  });

  it("every generated file and both root shims parse", () => {
    const files = [
      ...nixFiles(join(REPO, "generated")),
      ...nixFiles(join(fixtureRoot, "generated")),
      join(REPO, "default.nix"),
      join(REPO, "jobset.nix"),
    ];
    expect(files.length).toBeGreaterThanOrEqual(40);
    const result = run("nix-instantiate", ["--parse", ...files]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  describe.each(Object.entries(HARNESS_PROFILES))("with the %s harness", (profile, harness) => {
    const setExpr = (root: string) => packageSetExpr(harness, root);
    const jobsetExpr = (root: string) =>
      `import ${root}/generated/jobset.nix { nixpkgs = ${harness}; contrail = ${CONTRAIL_HARNESS}; cloudwatt = ${checkout}; pushToDockerRegistry = true; publishToAptly = true; }`;
    const current = profile === "nixpkgs-current";
    // The repository's pulled image is pinned by tag only, which a current nixpkgs cannot pull;
    // the fixture pins its image by digest too.
    const roots = current
      ? { fixture: () => fixtureRoot }
      : { repo: () => REPO_PATH, fixture: () => fixtureRoot };

    it.each(Object.entries(roots))(
      "instantiates every derivation reachable from default.nix (%s)",
      async (_, root) => {
        // Under the current profile, without what the upgrade report says stops there (checked
        // to stop by test/upgrade-report.test.ts).
        const stopped = current ? [...(await currentStops(root())).keys()] : [];
        const walked = withoutAttributes(setExpr(root()), stopped);
        const expr = `map (d: d.drv) (import ${WALKERS}/derivations.nix (${walked}))`;
        const drvs = ok(run("nix-instantiate", ["-E", expr]))
          .trim()
          .split("\n");
        const paths = evalJson(
          `map (d: builtins.concatStringsSep "." d.path) (import ${WALKERS}/derivations.nix (${walked}))`,
        ) as string[];
        expect(drvs).toHaveLength(paths.length);
        expect(drvs.every((d) => /^\/nix\/store\/[a-z0-9]{32}-.+\.drv(!\w+)?$/.test(d))).toBe(true);
        if (root() === fixtureRoot) {
          expect(paths).toEqual(
            expect.arrayContaining(
              [
                "contrail32Cw.api",
                "contrail32Cw.test.allInOne",
                "contrail32Cw.test.allInOne.driver",
                "contrail32Cw.vrouter_ubuntu_3_13_0_83_generic",
                "debianPackages.contrailVrouterUserland",
                "dockerImages.contrailApi",
                "dockerImages.pulled.kubernetesBaseImage",
                "fluentdCw",
                "locksmith",
                "perp",
                "test.hydra",
                "tools.installDebianPackages",
                "tools.pushImage",
                "ubuntuKernelHeaders.ubuntuKernelHeaders_3_13_0_83_generic",
                "waitFor",
              ].filter((p) => !stopped.some((s) => p === s || p.startsWith(`${s}.`))),
            ),
          );
        }
      },
    );

    it("lists every built image with nix-env under its docker-image-*.tar.gz name", () => {
      for (const [root, expected] of [
        [REPO, [["dockerImages.locksmithWorker", "docker-image-worker.tar.gz"]]],
        [fixtureRoot, [["dockerImages.contrailApi", "docker-image-api.tar.gz"]]],
      ] as const) {
        if (current && root === REPO) continue;
        const result = run("nix-env", [
          "-f",
          join(root, "generated"),
          "-qaP",
          "-A",
          "dockerImages",
          "--arg",
          "nixpkgs",
          harness,
          "--arg",
          "contrail",
          CONTRAIL_HARNESS,
        ]);
        expect(result.stderr).toBe("");
        const rows = result.stdout
          .split("\n")
          .filter((l) => l !== "")
          .map((l) => l.split(/\s+/));
        if (root === REPO) {
          // The repository's full list is held by the parity test; here, the README's example row.
          expect(rows).toEqual(expect.arrayContaining([...expected]));
          for (const row of rows)
            expect(row.join(" ")).toMatch(/^dockerImages\.\w+ docker-image-[\w.-]+\.tar\.gz$/);
        } else expect(rows).toEqual(expected);
      }
    });

    it("a Hydra walk of jobset.nix with push and publish on finds only derivations", async () => {
      // Under the current profile, without the jobs of what the upgrade report says stops (a
      // push or publish job stops with its image or package).
      const stopped = current
        ? [...(await currentStops(fixtureRoot)).keys()].flatMap((s) => [
            s,
            s.replace(/^dockerImages\./, "pushDockerImages."),
            s.replace(/^debianPackages\./, "publishDebianPackages."),
          ])
        : [];
      const jobset = withoutAttributes(jobsetExpr(fixtureRoot), stopped);
      const walk = evalJson(`import ${WALKERS}/hydra.nix (${jobset})`, ["--read-write-mode"]) as {
        jobs: { path: string; drvPath: string }[];
        errors: string[];
        nonDerivations: unknown[];
      };
      expect(walk.errors).toEqual([]);
      expect(walk.nonDerivations).toEqual([]);
      const jobs = walk.jobs.map((j) => j.path);
      expect(jobs).toEqual(
        expect.arrayContaining(
          [
            "contrail32Cw.api",
            "contrail32Cw.test.allInOne",
            "contrail32Cw.tools.contrailGremlin",
            "contrail32Cw.vrouter_ubuntu_3_13_0_83_generic",
            "debianPackages.contrailVrouterUserland",
            "dockerImages.contrailApi",
            "dockerImages.pulled.kubernetesBaseImage",
            "publishDebianPackages.contrailVrouterUserland",
            "pushDockerImages.contrailApi",
            "test.hydra",
          ].filter((j) => !stopped.some((s) => j === s || j.startsWith(`${s}.`))),
        ),
      );
      // contrail32Cw.lib holds a function only: nothing of it reaches Hydra.
      expect(jobs.filter((j) => j.startsWith("contrail32Cw.lib"))).toEqual([]);
      expect(jobs.filter((j) => j.startsWith("pushDockerImages.pulled"))).toEqual([]);
      for (const job of walk.jobs) expect(statSync(job.drvPath).isFile(), job.path).toBe(true);
    });

    it("the repository's own jobset walks clean (push and publish on)", () => {
      if (current) return; // its pulled image is pinned by tag only; see the error test below
      const walk = evalJson(`import ${WALKERS}/hydra.nix (${jobsetExpr(REPO_PATH)})`, [
        "--read-write-mode",
      ]) as { jobs: { path: string }[]; errors: string[]; nonDerivations: unknown[] };
      expect(walk.errors).toEqual([]);
      expect(walk.nonDerivations).toEqual([]);
      expect(walk.jobs.map((j) => j.path)).toEqual(
        expect.arrayContaining([
          "dockerImages.locksmithWorker",
          "dockerImages.pulled.kubernetesBaseImage",
          "pushDockerImages.locksmithWorker",
        ]),
      );
    });

    // The fixture's contrail image and package stop under a current nixpkgs (nixpkgs-contrail
    // needs its toolchain; test/upgrade-report.test.ts): these two run with the pinned one.
    it.runIf(!current)(
      "push and publish jobs carry the commit, the two tags and the fixed output",
      () => {
        const commit = ok(run("git", ["rev-parse", "HEAD"], checkout)).trim();
        const info = evalJson(
          `let j = ${jobsetExpr(fixtureRoot)}; p = j.pushDockerImages.contrailApi; d = j.publishDebianPackages.contrailVrouterUserland; in {
          push = { inherit (p) name text outputHash outputHashMode impureEnvVars; image = j.dockerImages.contrailApi.outPath; };
          publish = { inherit (d) name text outputHash impureEnvVars APTLY_URL; };
        }`,
          ["--read-write-mode"],
        ) as {
          push: Record<string, string | string[]> & { image: string };
          publish: Record<string, string | string[]>;
        };
        const output = info.push.image.slice("/nix/store/".length);
        expect(info.push.name).toBe("push-docker-image-api");
        expect(info.push.text).toBe(`Pushed image opencontrail/api with content ${output}`);
        expect(info.push.outputHashMode).toBe("flat");
        expect(info.push.impureEnvVars).toEqual(
          expect.arrayContaining([
            "REGISTRY_URL",
            "REGISTRY_USERNAME",
            "REGISTRY_PASSWORD",
            "http_proxy",
          ]),
        );
        const script = evalJson(`(${jobsetExpr(fixtureRoot)}).pushDockerImages.contrailApi.args`, [
          "--read-write-mode",
        ]) as string[];
        expect(script[1]).toContain(`opencontrail/api:${commit}-${output}`);
        expect(script[1]).toContain(`opencontrail/api:${output.slice(0, 32)}`);
        expect(script[1]).toContain("registry=${REGISTRY_URL:-localhost:5000}");
        expect(info.publish.name).toBe("publish-contrail-vrouter-userland-3.2-6.deb");
        expect(info.publish.APTLY_URL).toBe("http://aptly.int0.aub.cloudwatt.net/api");
        expect(info.publish.text).toBe(
          "contrail-vrouter-userland-3.2-6.deb published to http://aptly.int0.aub.cloudwatt.net/api in repository contrail",
        );
        // The fixed output is the hash of that text, so the job runs once per package version.
        const hash = ok(
          run("sh", ["-c", `printf '%s' "$0" | sha256sum`, info.publish.text as string]),
        );
        expect(info.publish.outputHash).toBe(hash.split(" ")[0]);
      },
    );

    describe.runIf(!current)("text outputs, built", () => {
      let built: Record<string, string> = {};
      beforeAll(() => {
        const attrs = {
          rcMain: "dockerImages.contrailApi.perpServices.opencontrail-api",
          fluentdRcMain: "dockerImages.contrailApi.perpServices.fluentd",
          control: "debianPackages.contrailVrouterUserland.control",
          deb: "debianPackages.contrailVrouterUserland",
          pushImage: "tools.pushImage",
          image: "dockerImages.contrailApi",
        };
        const out = ok(
          run("nix-build", [
            "--no-out-link",
            join(fixtureRoot, "generated"),
            ...Object.values(attrs).flatMap((a) => ["-A", a]),
            "--arg",
            "nixpkgs",
            harness,
            "--arg",
            "contrail",
            CONTRAIL_HARNESS,
          ]),
        )
          .trim()
          .split("\n");
        built = Object.fromEntries(Object.keys(attrs).map((k, i) => [k, out[i]!]));
      });
      const expected = (name: string) => readFileSync(join(EXPECTED, name), "utf8");
      const read = (path: string) => readFileSync(path, "utf8");

      it("the perp run scripts and start scripts of the API service and of fluentd", () => {
        const rcMain = read(join(built.rcMain!, "etc/perp/opencontrail-api/rc.main"));
        expect(normalise(rcMain)).toBe(expected("opencontrail-api.rc.main"));
        const start = rcMain.match(/exec runuid root (\S+)\/bin\/start-opencontrail-api/)![1]!;
        const startText = read(join(start, "bin/start-opencontrail-api"));
        expect(normalise(startText)).toBe(expected("start-opencontrail-api"));
        const template = startText.match(/-template "([^:]+):/)![1]!;
        expect(read(template)).toBe(expected("contrail-api.conf.ctmpl"));

        const fluentd = read(join(built.fluentdRcMain!, "etc/perp/fluentd/rc.main"));
        const startFluentd = fluentd.match(/exec runuid nobody (\S+)\/bin\/start-fluentd/)![1]!;
        const fluentdText = read(join(startFluentd, "bin/start-fluentd"));
        expect(normalise(fluentdText)).toBe(expected("start-fluentd"));
        const conf = fluentdText.match(/-c (\S+)\n/)![1]!;
        expect(read(conf)).toBe(expected("contrail-api.fluentd.conf"));
      });

      it("the Debian control file, and a .deb dpkg can read", () => {
        expect(read(built.control!)).toBe(expected("contrail-vrouter-userland.control"));
        const info = ok(run("dpkg-deb", ["--field", built.deb!]));
        expect(info).toBe(expected("contrail-vrouter-userland.control"));
        const listing = ok(run("dpkg-deb", ["--contents", built.deb!]));
        expect(listing).toMatch(/ \.\/nix -> var\/opt\/nix$/m);
        expect(listing).toMatch(
          / \.\/var\/opt\/nix\/store\/[a-z0-9]{32}-contrail-vrouter-agent-3\.2\//m,
        );
        expect(listing).toMatch(/ \.\/etc\/init\/contrail-vrouter-agent\.conf$/m);
        expect(listing).toMatch(/ \.\/usr\/bin\/contrail-vrouter-agent -> \/nix\/store\//m);
        const control = tempDir("nixgen-deb-");
        ok(run("dpkg-deb", ["--control", built.deb!, control]));
        expect(readdirSync(control).sort()).toEqual(["control", "postinst", "postrm"]);
        expect(read(join(control, "postrm"))).toMatch(/#DEBHELPER#\n$/);
      });

      it("the push-image tool", () => {
        expect(normalise(read(join(built.pushImage!, "bin/push-image")))).toBe(
          expected("push-image"),
        );
      });

      it("the image has perp services activated, on the fluentd layer", () => {
        const listing = ok(run("tar", ["-tvzf", built.image!]));
        expect(listing).toMatch(/^drwxr-xr-t .* \.\/layer\/etc\/perp\/opencontrail-api\/$/m);
        expect(listing).toMatch(/^drwxr-xr-t .* \.\/layer\/etc\/perp\/fluentd\/$/m);
        const config = JSON.parse(ok(run("tar", ["-xzOf", built.image!, "./config.json"]))) as {
          config: { Cmd: string[] };
        };
        expect(config.config.Cmd).toEqual(["/usr/sbin/perpd"]);
      });
    });
  });

  it("nixpkgs-fetch.nix pins nixpkgs and nixpkgs-contrail", () => {
    const fetch = `import ${REPO_PATH}/generated/nixpkgs-fetch.nix { nixpkgs = ${HARNESS_PROFILES["nixpkgs-18.03"]}; }`;
    expect(
      evalJson(`let f = ${fetch}; in { pkgs = f.pkgs.rev; contrail = f.contrail.rev; }`),
    ).toEqual({
      pkgs: "6796f5db1c2a25aeade10d613ddb403e4eb7a928",
      contrail: "856e0d3f7e58d5c51aae86bc3a12732b3c33baf4",
    });
  });

  it("a pulled image pinned by tag only is a clear error under a current nixpkgs", () => {
    const result = run("nix-instantiate", [
      "-A",
      "dockerImages.pulled.kubernetesBaseImage",
      "--arg",
      "nixpkgs",
      HARNESS_PROFILES["nixpkgs-current"],
      "--arg",
      "contrail",
      CONTRAIL_HARNESS,
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "dockerImages.pulled.kubernetesBaseImage (packages/dockerImages/pulled/kubernetesBaseImage.yaml): this nixpkgs pulls images by digest",
    );
    expect(result.stderr).toContain(
      "skopeo inspect docker://docker-registry.sec.cloudwatt.com/kubernetes/base:16.04-b1536c115472e001",
    );
  });

  it("the Hydra declarative project builds its jobsets, with one per pull request", () => {
    const pulls = join(tempDir("nixgen-pulls-"), "pulls.json");
    writeFileSync(
      pulls,
      JSON.stringify({
        "42": {
          title: "Bump perp",
          head: { ref: "bump", repo: { name: "nixpkgs-cloudwatt", owner: { login: "someone" } } },
        },
      }),
    );
    const spec = JSON.parse(
      readFileSync(join(fixtureRoot, "generated/ci/integration/spec.json"), "utf8"),
    ) as Record<string, unknown>;
    expect(spec).toMatchObject({
      enabled: 1,
      nixexprinput: "cloudwatt",
      nixexprpath: "generated/ci/integration/jobsets.nix",
      inputs: {
        cloudwatt: {
          type: "git",
          value: "https://github.com/nlewo/nixpkgs-cloudwatt master keepDotGit",
        },
        nixpkgs: {
          type: "git",
          value: "https://github.com/NixOS/nixpkgs acd89daabcb47cb882bc72ffc2d01281ed1fecb8",
        },
        pulls: { type: "githubpulls", value: "nlewo nixpkgs-cloudwatt" },
      },
    });
    const out = ok(
      run("nix-build", [
        "--no-out-link",
        join(fixtureRoot, "generated/ci/integration/jobsets.nix"),
        "-A",
        "jobsets",
        "--arg",
        "nixpkgs",
        HARNESS_PROFILES["nixpkgs-18.03"],
        "--arg",
        "declInput",
        "{ }",
        "--arg",
        "pulls",
        pulls,
      ]),
    ).trim();
    const jobsets = JSON.parse(readFileSync(out, "utf8")) as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(jobsets).sort()).toEqual([
      "42",
      "staging",
      "testing",
      "testingWithPublish",
      "trunk",
    ]);
    expect(jobsets.trunk).toMatchObject({
      description: "Build master of nixpkgs-cloudwatt",
      keepnr: 3,
      nixexprpath: "jobset.nix",
      inputs: {
        cloudwatt: { value: "https://github.com/nlewo/nixpkgs-cloudwatt master keepDotGit" },
        bootstrap_pkgs: {
          value: "https://github.com/NixOS/nixpkgs acd89daabcb47cb882bc72ffc2d01281ed1fecb8",
        },
        pushToDockerRegistry: { type: "boolean", value: "true" },
      },
    });
    expect(jobsets["42"]).toMatchObject({
      description: "PR 42: Bump perp",
      checkinterval: "30",
      schedulingshares: 20,
      inputs: {
        cloudwatt: { value: "https://github.com/someone/nixpkgs-cloudwatt.git bump keepDotGit" },
      },
    });
  });
});
