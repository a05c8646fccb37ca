// The command line end to end: generate and check on a copy of the repository, and bad input
// that must exit 1 with a position and leave generated/ byte-identical.

import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, copyOfRepo, runCli, treeHash } from "./helpers.ts";

const WORKER = "packages/dockerImages/locksmithWorker.yaml";

function edit(root: string, path: string, change: (text: string) => string): void {
  const file = join(root, path);
  writeFileSync(file, change(readFileSync(file, "utf8")));
}

describe("nixgen generate / check", () => {
  it("check passes on an up-to-date tree and generate leaves it unchanged", () => {
    const root = copyOfRepo();
    const before = treeHash(join(root, "generated"));
    const check = runCli(["check", "--root", root]);
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
    const gen = runCli(["generate", "--root", root]);
    expect(gen.status).toBe(0);
    const files = readFileSync(join(root, "generated/.manifest"), "utf8")
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("#")).length;
    expect(files).toBeGreaterThanOrEqual(16);
    expect(gen.stdout).toContain(`0 written, 0 removed, ${files + 1} unchanged`);
    expect(treeHash(join(root, "generated"))).toBe(before);
  });

  it("check fails on a stale descriptor reference; generate rewrites it from the schemas", () => {
    const root = copyOfRepo();
    const docs = join(root, "docs/descriptors.md");
    writeFileSync(docs, readFileSync(docs, "utf8").replace("## Tool", "## Tools"));
    const check = runCli(["check", "--root", root]);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain("docs/descriptors.md is stale");
    const gen = runCli(["generate", "--root", root]);
    expect(gen.status).toBe(0);
    expect(readFileSync(docs, "utf8")).toBe(
      readFileSync(join(REPO, "docs/descriptors.md"), "utf8"),
    );
  });

  it("check lists stale files and writes nothing; generate repairs them", () => {
    const root = copyOfRepo();
    edit(root, "packages/locksmith.yaml", (t) => t.replace("version: 0.2.0", "version: 0.2.1"));
    rmSync(join(root, "generated/dockerImages/pulled/kubernetesBaseImage.nix"));
    const before = treeHash(join(root, "generated"));
    const check = runCli(["check", "--root", root]);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain("changed generated/locksmith.nix");
    expect(check.stderr).toContain("missing generated/dockerImages/pulled/kubernetesBaseImage.nix");
    expect(treeHash(join(root, "generated"))).toBe(before);
    expect(runCli(["generate", "--root", root]).status).toBe(0);
    expect(readFileSync(join(root, "generated/locksmith.nix"), "utf8")).toContain(
      'version = "0.2.1";',
    );
    expect(runCli(["check", "--root", root]).status).toBe(0);
  });

  it("answers a wrong command with usage and exit 2", () => {
    const result = runCli(["frobnicate"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("usage: nixgen");
  });
});

describe("bad input: exit 1, file:line:col, nothing written", () => {
  const cases: { name: string; change: (t: string) => string; expected: RegExp }[] = [
    {
      name: "malformed YAML",
      change: (t) => t.replace("services:\n", "services: [\n"),
      expected: /^packages\/dockerImages\/locksmithWorker\.yaml:\d+:\d+: error\[yaml\//m,
    },
    {
      name: "unknown key",
      change: (t) => t.replace("    user: root", "    usr: root"),
      expected:
        /^packages\/dockerImages\/locksmithWorker\.yaml:7:5: error\[schema\/unknown-key\] services\[0\]\.usr: unknown key "usr"; expected one of .*\n  hint: did you mean "user"\?/m,
    },
    {
      name: "wrong type",
      change: (t) => t.replace("    user: root", "    user: [root]"),
      expected:
        /^packages\/dockerImages\/locksmithWorker\.yaml:7:11: error\[schema\/type\] services\[0\]\.user: expected string, found a list/m,
    },
    {
      name: "unknown reference",
      change: (t) => t.replace("${{ locksmith }}", "${{ locksmit }}"),
      expected:
        /^packages\/dockerImages\/locksmithWorker\.yaml:9:7: error\[ref\/unknown\] services\[0\]\.command: unknown package locksmit.*\n  hint: did you mean \$\{\{ locksmith \}\}\?/m,
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const root = copyOfRepo();
      edit(root, WORKER, c.change);
      const before = treeHash(join(root, "generated"));
      for (const command of ["generate", "check"]) {
        const result = runCli([command, "--root", root]);
        expect(result.status, result.stderr).toBe(1);
        expect(result.stderr).toMatch(c.expected);
        expect(result.stderr).toMatch(/> +\d+ \| .*\n +\| +\^+/); // code frame with underline
        expect(result.stderr).toContain("nothing was written");
        expect(treeHash(join(root, "generated"))).toBe(before);
      }
    });
  }

  it("reports every error of a run, in file order", () => {
    const root = copyOfRepo();
    edit(root, WORKER, (t) => t.replace("    user: root", "    usr: root"));
    edit(root, "packages/locksmith.yaml", (t) => t.replace("version: 0.2.0", "version: [0.2.0]"));
    const result = runCli(["generate", "--root", root]);
    expect(result.status).toBe(1);
    const positions = [...result.stderr.matchAll(/^(packages\/\S+):(\d+):(\d+): error/gm)].map(
      (m) => `${m[1]}:${m[2]}`,
    );
    expect(positions).toEqual([
      "packages/dockerImages/locksmithWorker.yaml:7",
      "packages/locksmith.yaml:5",
    ]);
    expect(result.stderr).toContain("2 errors; nothing was written.");
  });
});
