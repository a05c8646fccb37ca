// The flake beside default.nix: flake.nix parses, its inputs are the pins of packages/pins.yaml,
// and its outputs (generated/flake-outputs.nix), evaluated with the harness standing in for its
// inputs, hold the same derivations as default.nix and jobset.nix, derivation for derivation.
// `nixgen check` reports an input or a flake.lock that disagrees with the pins.

import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate, loadPackageSet } from "../generator/index.ts";
import {
  CONTRAIL_HARNESS,
  HARNESS,
  REPO,
  nixEval,
  nixTestsEnabled,
  packageSetExpr,
  run,
} from "./helpers.ts";
import { fixtureProject } from "./workspace.ts";

process.env.NIX_CONFIG = "substituters =\n";

const WALKERS = join(REPO, "test/nix/walkers");
const ROOT = join(REPO, ".");
const outputs = `import ${join(REPO, "generated/flake-outputs.nix")} { self = ${ROOT}; nixpkgs = ${HARNESS}; nixpkgs-contrail = ${CONTRAIL_HARNESS}; }`;
const drvPaths = (walk: string) =>
  `builtins.listToAttrs (map (d: { name = builtins.concatStringsSep "." d.path; value = d.drvPath; }) (${walk}))`;

describe("flake.nix", () => {
  it("parses, and takes the pins of packages/pins.yaml as non-flake inputs", async () => {
    const parsed = run("nix-instantiate", ["--parse", join(REPO, "flake.nix")]);
    expect(parsed.status, parsed.stderr).toBe(0);
    const { set } = await loadPackageSet(REPO, { nixCheck: false });
    const pins = set!.pins!;
    const inputs = nixEval(["-E", `(import ${join(REPO, "flake.nix")}).inputs`]);
    expect(inputs).toEqual({
      nixpkgs: {
        url: `github:${pins.nixpkgs.owner}/${pins.nixpkgs.repo}/${pins.nixpkgs.rev}`,
        flake: false,
      },
      "nixpkgs-contrail": {
        url: `github:${pins.contrail.owner}/${pins.contrail.repo}/${pins.contrail.rev}`,
        flake: false,
      },
    });
  });

  it("nixgen check reports an input or a flake.lock that disagrees with the pins", async () => {
    const root = await fixtureProject();
    copyFileSync(join(REPO, "flake.nix"), join(root, "flake.nix"));
    const { set } = await loadPackageSet(root, { nixCheck: false });
    const pins = set!.pins!;
    const flake = readFileSync(join(root, "flake.nix"), "utf8")
      .replace(/github:NixOS\/nixpkgs\/\w+/, `github:NixOS/nixpkgs/${pins.nixpkgs.rev}`)
      .replace(
        /github:nlewo\/nixpkgs-contrail\/\w+/,
        `github:nlewo/nixpkgs-contrail/${pins.contrail.rev}`,
      );
    writeFileSync(join(root, "flake.nix"), flake);
    expect((await generate({ root, check: true })).diagnostics).toEqual([]);

    // An input at another revision, positioned at its url.
    writeFileSync(join(root, "flake.nix"), flake.replace(pins.nixpkgs.rev, "0".repeat(40)));
    const wrongInput = (await generate({ root, check: true })).diagnostics;
    expect(wrongInput).toEqual([
      expect.objectContaining({
        code: "flake/pin-mismatch",
        file: "flake.nix",
        line: flake.split("\n").findIndex((l) => l.includes(pins.nixpkgs.rev)) + 1,
        field: "inputs.nixpkgs.url",
      }),
    ]);

    // A lock that agrees, then one that does not.
    writeFileSync(join(root, "flake.nix"), flake);
    const node = (owner: string, repo: string, rev: string) => ({
      locked: { type: "github", owner, repo, rev, narHash: "sha256-x", lastModified: 1 },
      original: { type: "github", owner, repo, rev },
      flake: false,
    });
    const lock = (contrailRev: string) =>
      JSON.stringify({
        nodes: {
          nixpkgs: node(pins.nixpkgs.owner, pins.nixpkgs.repo, pins.nixpkgs.rev),
          "nixpkgs-contrail": node(pins.contrail.owner, pins.contrail.repo, contrailRev),
          root: { inputs: { nixpkgs: "nixpkgs", "nixpkgs-contrail": "nixpkgs-contrail" } },
        },
        root: "root",
        version: 7,
      });
    writeFileSync(join(root, "flake.lock"), lock(pins.contrail.rev));
    expect((await generate({ root, check: true })).diagnostics).toEqual([]);
    writeFileSync(join(root, "flake.lock"), lock("1".repeat(40)));
    expect((await generate({ root, check: true })).diagnostics).toEqual([
      expect.objectContaining({ code: "flake/lock-mismatch", file: "flake.lock" }),
    ]);
  });
});

describe.runIf(nixTestsEnabled())("the flake's outputs, with the harness as inputs", () => {
  it("packages holds every derivation of default.nix, named by where it lives", () => {
    const fromFlake = nixEval([
      "-E",
      `builtins.mapAttrs (n: d: d.drvPath) (${outputs}).packages.x86_64-linux`,
    ]) as Record<string, string>;
    const fromSet = nixEval([
      "-E",
      drvPaths(
        `map (d: d // { drvPath = d.drv.drvPath; }) (import ${WALKERS}/derivations.nix (${packageSetExpr(HARNESS)}))`,
      ),
    ]) as Record<string, string>;
    const renamed = Object.fromEntries(
      Object.entries(fromSet).map(([path, drv]) => [path.replaceAll(".", "-"), drv]),
    );
    expect(Object.keys(fromFlake).length).toBeGreaterThan(100);
    expect(fromFlake).toEqual(renamed);
    expect(fromFlake["dockerImages-locksmithWorker"]).toMatch(/docker-image-worker\.tar\.gz\.drv$/);
  });

  it("legacyPackages is the nested set, and lib is cwLib", () => {
    const same = nixEval([
      "-E",
      `let o = ${outputs}; s = ${packageSetExpr(HARNESS)}; in {
        legacy = o.legacyPackages.x86_64-linux.dockerImages.locksmithWorker.drvPath == s.dockerImages.locksmithWorker.drvPath;
        names = builtins.attrNames o.legacyPackages.x86_64-linux == builtins.attrNames s;
        lib = o.lib ? flakePackages && o.lib ? buildImage;
      }`,
    ]);
    expect(same).toEqual({ legacy: true, names: true, lib: true });
  });

  it("hydraJobs are the jobs of jobset.nix with push and publish off, derivation for derivation", () => {
    const jobsOf = (jobset: string) =>
      nixEval([
        "--read-write-mode",
        "-E",
        `builtins.listToAttrs (map (j: { name = j.path; value = j.drvPath; }) (import ${WALKERS}/hydra.nix (${jobset})).jobs)`,
      ]) as Record<string, string>;
    const fromFlake = jobsOf(`(${outputs}).hydraJobs`);
    const fromJobset = jobsOf(
      `import ${join(REPO, "generated/jobset.nix")} { nixpkgs = ${HARNESS}; contrail = ${CONTRAIL_HARNESS}; cloudwatt = ${ROOT}; }`,
    );
    expect(Object.keys(fromFlake).length).toBeGreaterThan(50);
    expect(fromFlake).toEqual(fromJobset);
    expect(Object.keys(fromFlake).some((j) => j.startsWith("pushDockerImages"))).toBe(false);
  });
});
