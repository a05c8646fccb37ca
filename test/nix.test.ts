// The generated tree against stock Nix and the offline nixpkgs harness: it parses, evaluates,
// lists, instantiates and builds what can be built offline.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HARNESS, HARNESS_ARGS, REPO, nixTestsEnabled, run } from "./helpers.ts";

function generatedNixFiles(dir = join(REPO, "generated")): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory()
        ? generatedNixFiles(path)
        : name.endsWith(".nix")
          ? [path]
          : [];
    })
    .sort();
}

describe.runIf(nixTestsEnabled())("generated tree with stock Nix", () => {
  it("every generated file and the root shim parse", () => {
    const files = [...generatedNixFiles(), join(REPO, "default.nix")];
    expect(files.length).toBeGreaterThanOrEqual(8);
    const result = run("nix-instantiate", ["--parse", ...files]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("evaluates the image name nixpkgs' dockerTools gives it", () => {
    const result = run("nix-instantiate", [
      "--eval",
      "-A",
      "dockerImages.locksmithWorker.name",
      ...HARNESS_ARGS,
    ]);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe('"docker-image-worker.tar.gz"');
  });

  it("lists the images with nix-env as in the README", () => {
    const result = run("nix-env", [
      "-f",
      "default.nix",
      "-qaP",
      "-A",
      "dockerImages",
      ...HARNESS_ARGS,
    ]);
    expect(result.stderr).toBe("");
    expect(
      result.stdout
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.split(/\s+/)),
    ).toEqual([["dockerImages.locksmithWorker", "docker-image-worker.tar.gz"]]);
  });

  it("instantiates every package of the set", () => {
    const attrs = [
      "locksmith",
      "dockerImages.locksmithWorker",
      "dockerImages.pulled.kubernetesBaseImage",
    ];
    const result = run("nix-instantiate", [...attrs.flatMap((a) => ["-A", a]), ...HARNESS_ARGS]);
    expect(result.status, result.stderr).toBe(0);
    const drvs = result.stdout.trim().split("\n");
    expect(drvs).toHaveLength(3);
    expect(drvs[0]).toMatch(/-vault-fernet-locksmith-0\.2\.0\.drv!bin$/);
    expect(drvs[1]).toMatch(/-docker-image-worker\.tar\.gz\.drv$/);
    expect(drvs[2]).toMatch(
      /-docker-image-docker-registry\.sec\.cloudwatt\.com-kubernetes-base-16\.04-b1536c115472e001\.tar\.drv$/,
    );
  });

  it("passes the pins of the descriptors to nixpkgs' fetchers", () => {
    const expr = `let s = import ./. { nixpkgs = ${HARNESS}; }; in {
      src = s.locksmith.src.description;
      pulled = s.dockerImages.pulled.kubernetesBaseImage.imageId;
      tag = s.dockerImages.locksmithWorker.imageTag;
    }`;
    const result = run("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      src: "github:aevox/vault-fernet-locksmith/v0.2.0 sha256:1s1i98xwk8a0krvpwif0s3hgg8n77j58p8836864sf2yjdl13c0d",
      pulled: "docker-registry.sec.cloudwatt.com/kubernetes/base:16.04-b1536c115472e001",
      tag: "latest",
    });
  });

  it("nixpkgs-fetch.nix pins nixpkgs and nixpkgs-contrail", () => {
    const expr = `let f = import ./generated/nixpkgs-fetch.nix { nixpkgs = ${HARNESS}; }; in { pkgs = f.pkgs.description; contrail = f.contrail.description; }`;
    const result = run("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      pkgs: "github:NixOS/nixpkgs/6796f5db1c2a25aeade10d613ddb403e4eb7a928 sha256:0fmvh1wcr1rgsr6cv8bpw5rmm9ypg94q7h9s4xqzaq567d3nhhhz",
      contrail:
        "github:nlewo/nixpkgs-contrail/856e0d3f7e58d5c51aae86bc3a12732b3c33baf4 sha256:15qfhy9xb3rfpzh3nz3342ak25nshb50sfspy2y85bqk1dpdxdv5",
    });
  });

  it("the harness rejects arguments nixpkgs does not take", () => {
    const expr = `(import ${HARNESS} { }).dockerTools.buildImage { name = "x"; copyToRoot = [ ]; }`;
    const result = run("nix-instantiate", ["--eval", "-E", expr]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/unexpected argument 'copyToRoot'/);
  });

  describe("builds with the harness", () => {
    let rcMain: string;
    let image: string;
    beforeAll(() => {
      const result = run("nix-build", [
        "--no-out-link",
        "-A",
        "dockerImages.locksmithWorker.perpServices.locksmith-worker",
        "-A",
        "dockerImages.locksmithWorker",
        ...HARNESS_ARGS,
      ]);
      expect(result.status, result.stderr).toBe(0);
      [rcMain, image] = result.stdout.trim().split("\n") as [string, string];
    });

    it("builds the perp run script of the service", () => {
      const text = readFileSync(join(rcMain, "etc/perp/locksmith-worker/rc.main"), "utf8");
      expect(statSync(join(rcMain, "etc/perp/locksmith-worker/rc.main")).mode & 0o111).toBe(0o111);
      const lines = text.split("\n");
      expect(lines[0]).toMatch(/^#!\/nix\/store\/[a-z0-9]{32}-bash-[^/]+\/bin\/bash$/);
      expect(lines).toContain("exec 2>&1");
      const start = text.match(
        /^  exec runuid root (\/nix\/store\/\S+)\/bin\/start-locksmith-worker$/m,
      );
      expect(start, text).not.toBeNull();
      expect(text).toMatch(/^reset\(\) \{\n  exit 0\n\}$/m);

      const script = readFileSync(join(start![1]!, "bin/start-locksmith-worker"), "utf8");
      const command = script.match(
        /^exec (\/nix\/store\/\S+)\/bin\/vault-fernet-locksmith -logtostderr -config-file-dir \/run\/consul-template-wrapper\/etc\/locksmith -config-file config$/m,
      );
      expect(command, script).not.toBeNull();
      expect(command![1]).toMatch(/-vault-fernet-locksmith-0\.2\.0-bin$/);
      expect(script).toMatch(/^set -e$/m);
      const template = script.match(
        /^consul-template-wrapper -- -once -template "(\/nix\/store\/[^:]+):\/run\/consul-template-wrapper\/etc\/locksmith\/config\.yaml"$/m,
      );
      expect(template, script).not.toBeNull();
      expect(template![1]).toMatch(/-config\.yaml\.ctmpl$/);
      const ctmpl = readFileSync(template![1]!, "utf8");
      expect(
        ctmpl.startsWith(
          '---\n{{$locksmith := keyOrDefault "/config/locksmith/data" "{}" | parseJSON -}}\n',
        ),
      ).toBe(true);
      expect(ctmpl).toContain(
        'token-file: {{or (index $primaryVault "token-file") "/run/vault-token/vault-token"}}',
      );
      expect(ctmpl.endsWith("consul-token: {{.Data.consulToken}}\n{{- end}}\n")).toBe(true);
    });

    it("builds the image archive with the service activated (sticky bit)", () => {
      expect(image).toMatch(/-docker-image-worker\.tar\.gz$/);
      const listing = run("tar", ["-tvzf", image]).stdout;
      expect(listing).toMatch(/^drwxr-xr-t .* \.\/layer\/etc\/perp\/locksmith-worker\/$/m);
      expect(listing).toMatch(/^-rwxr-xr-x .* \.\/layer\/etc\/perp\/locksmith-worker\/rc\.main$/m);
      const config = JSON.parse(run("tar", ["-xzOf", image, "./config.json"]).stdout) as {
        config: { Cmd: string[] };
      };
      expect(config.config.Cmd).toEqual(["/usr/sbin/perpd"]);
    });
  });
});
