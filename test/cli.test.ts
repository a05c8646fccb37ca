// nixgen through its real process (bin/nixgen.mjs), on copies of the small fixture set: help and
// version, usage errors, how it finds the project, exit codes, text and --format json / --json
// output, colour only on a terminal and never under NO_COLOR, and every command.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir, treeHash } from "./helpers.ts";
import { fixtureProject } from "./workspace.ts";

const PACKAGE = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};
const STACK = "    at "; // a stack trace line: never shown for anything a user can cause
const COLOUR = "\u001b[";

function edit(root: string, path: string, change: (text: string) => string): void {
  writeFileSync(join(root, path), change(readFileSync(join(root, path), "utf8")));
}

/** The command under a pseudo-terminal (util-linux script), so that stdout is a TTY. */
function onTerminal(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const command = [process.execPath, join(import.meta.dirname, "../bin/nixgen.mjs"), ...args];
  const result = spawnSync("script", ["-qec", command.join(" "), "/dev/null"], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return result.stdout;
}

let root: string; // shared by the commands that write nothing

beforeAll(async () => {
  root = await fixtureProject();
});

describe("help, version and usage errors", () => {
  it("--help and every command's --help go to stdout, with examples, exit 0", () => {
    const top = runCli(["--help"]);
    expect(top.status).toBe(0);
    expect(top.stderr).toBe("");
    for (const command of ["generate", "check", "list", "new", "graph", "show"]) {
      expect(top.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
      const help = runCli([command, "--help"]);
      expect(help.status, command).toBe(0);
      expect(help.stdout, command).toContain(`Usage: nixgen ${command}`);
      expect(help.stdout, command).toMatch(/^Examples:\n {2}nixgen /m);
    }
  });

  it("--version prints the package's version", () => {
    const version = runCli(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(PACKAGE.version);
  });

  it("a usage error exits 2 with one error line and the usage, never a stack trace", () => {
    const cases: [string[], RegExp][] = [
      [[], /^Usage: nixgen/m],
      [["frobnicate"], /^error: unknown command 'frobnicate'\nusage: nixgen <command>/m],
      [
        ["generate", "--verbos"],
        /^error: unknown option '--verbos'\n.*--verbose.*\nusage: nixgen generate/m,
      ],
      [["check", "--root"], /^error: option '--root <dir>' argument missing/m],
      [
        ["check", "--format", "yaml"],
        /^error: option '--format <format>' argument 'yaml' is invalid/m,
      ],
      [["new", "dockerImage"], /^error: missing required argument 'attr'\nusage: nixgen new/m],
    ];
    for (const [args, expected] of cases) {
      const result = runCli(args, { cwd: root });
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(expected);
      expect(result.stderr).not.toContain(STACK);
      expect(result.stdout).toBe("");
    }
  });
});

describe("the project it works on", () => {
  it("is found from a folder inside it, as git finds .git", () => {
    const result = runCli(["check"], { cwd: join(root, "packages/dockerImages") });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^generated\/ is up to date \(\d+ files, \d+\.\d\d s\)\.$/m);
  });

  it("a folder without packages/ is refused, and nothing is written there", () => {
    const empty = tempDir("nixgen-empty-");
    for (const args of [
      ["generate"],
      ["generate", "--root", empty],
      ["check", "--root", "/nonexistent"],
    ]) {
      const result = runCli(args, { cwd: empty });
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^error: .*packages\/ folder/m);
      expect(result.stderr).not.toContain(STACK);
    }
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe("generate and check", () => {
  it("generate names what it writes with --verbose, and says how long it took", async () => {
    const mine = await fixtureProject();
    edit(mine, "packages/locksmith.yaml", (t) => t.replace("version: 0.2.0", "version: 0.2.1"));
    const result = runCli(["generate", "--verbose", "--root", mine]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ {2}wrote +generated\/locksmith\.nix$/m);
    expect(result.stdout).toMatch(
      /^generated\/: 1 written, 0 removed, \d+ unchanged \(\d+\.\d\d s\)\.$/m,
    );
    expect(runCli(["check", "--root", mine]).status).toBe(0);
  });

  it("check exits 1 on a stale tree and on an invalid descriptor, with its position", async () => {
    const mine = await fixtureProject();
    edit(mine, "packages/locksmith.yaml", (t) => t.replace("version: 0.2.0", "version: 0.2.1"));
    const stale = runCli(["check", "--root", mine]);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain("changed generated/locksmith.nix");
    edit(mine, "packages/locksmith.yaml", (t) => t.replace("pname:", "pnam:"));
    const before = treeHash(join(mine, "generated"));
    for (const command of ["check", "generate"]) {
      const invalid = runCli([command, "--root", mine]);
      expect(invalid.status).toBe(1);
      expect(invalid.stderr).toMatch(
        /^packages\/locksmith\.yaml:4:1: error\[schema\/unknown-key\] pnam: unknown key "pnam".*\n {2}hint: did you mean "pname"\?\n/m,
      );
      expect(invalid.stderr).toMatch(/> +4 \| pnam: .*\n +\| \^+/); // the code frame
      expect(invalid.stderr).toContain("nothing was written");
      expect(treeHash(join(mine, "generated"))).toBe(before);
    }
  });

  it("--format json gives every diagnostic's fields, and what was written", async () => {
    const mine = await fixtureProject();
    const text = readFileSync(join(mine, "packages/locksmith.yaml"), "utf8");
    edit(mine, "packages/locksmith.yaml", (t) => t.replace("version: 0.2.0", "version: 1.50"));
    const invalid = runCli(["check", "--format", "json", "--root", mine]);
    expect(invalid.status).toBe(1);
    const report = JSON.parse(invalid.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ command: "check", ok: false, exitCode: 1 });
    expect(report.diagnostics).toEqual([
      {
        severity: "error",
        code: "schema/type",
        file: "packages/locksmith.yaml",
        line: 5,
        column: 10,
        field: "version",
        message: "expected string, found number 1.5",
        hint: 'quote it: "1.50"',
      },
    ]);
    writeFileSync(join(mine, "packages/locksmith.yaml"), text.replace("0.2.0", "0.2.2"));
    const written = runCli(["generate", "--format", "json", "--root", mine]);
    expect(written.status).toBe(0);
    expect(JSON.parse(written.stdout)).toMatchObject({
      command: "generate",
      ok: true,
      exitCode: 0,
      diagnostics: [],
      written: ["generated/locksmith.nix"],
      removed: [],
    });
  });

  it("colours only on a terminal, and never under NO_COLOR", () => {
    expect(runCli(["check"], { cwd: root }).stdout).not.toContain(COLOUR);
    expect(onTerminal(["check"], root)).toContain(COLOUR);
    const plain = onTerminal(["check"], root, { NO_COLOR: "1" });
    expect(plain).not.toContain(COLOUR);
    expect(plain).toContain("is up to date");
  });
});

describe("list", () => {
  it("lists every attribute with its kind, name and descriptor, from the descriptors alone", () => {
    const result = runCli(["list"], { cwd: root, env: { PATH: "/nonexistent" } }); // no Nix on PATH
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ATTRIBUTE +KIND +NAME +DESCRIPTOR$/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^locksmith +application +vault-fernet-locksmith-0\.2\.0 +packages\/locksmith\.yaml$/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^contrail32Cw\.api +contrail +api /));
  });

  it("takes a prefix, and --json gives an array of objects", () => {
    const result = runCli(["list", "dockerImages", "--json"], { cwd: root });
    expect(result.status).toBe(0);
    const entries = JSON.parse(result.stdout) as Record<string, string>[];
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(Object.keys(entry)).toEqual(["attr", "kind", "name", "source"]);
      expect(entry.attr).toMatch(/^dockerImages\./);
    }
    expect(entries).toContainEqual({
      attr: "dockerImages.contrailApi",
      kind: "dockerImage",
      name: "opencontrail/api",
      source: "packages/dockerImages/contrailApi.yaml",
    });
  });
});

describe("new", () => {
  it("writes a skeleton at the path of its kind; check names each placeholder left", async () => {
    const mine = await fixtureProject();
    const made = runCli(["new", "dockerImage", "dockerImages.myService"], { cwd: mine });
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain("wrote packages/dockerImages/myService.yaml");
    const text = readFileSync(join(mine, "packages/dockerImages/myService.yaml"), "utf8");
    expect(text.split("\n")[0]).toBe(
      "# yaml-language-server: $schema=../../schemas/docker-image.schema.json",
    );
    const placeholders = text.match(/<fill in: /g)!.length;
    const check = runCli(["check", "--format", "json"], { cwd: mine });
    expect(check.status).toBe(1);
    const diagnostics = (
      JSON.parse(check.stdout) as { diagnostics: { code: string; file: string }[] }
    ).diagnostics;
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual(
      Array.from({ length: placeholders }, () => [
        "schema/placeholder",
        "packages/dockerImages/myService.yaml",
      ]),
    );
  });

  it("refuses to overwrite, a path where the kind does not live, and a name out of style", async () => {
    const mine = await fixtureProject();
    const cases: [string[], RegExp][] = [
      [["new", "application", "locksmith"], /locksmith\.yaml exists already/],
      [
        ["new", "dockerImage", "myService"],
        /a dockerImage lives at packages\/dockerImages\/<name>\.yaml/,
      ],
      [
        ["new", "dockerImage", "dockerImages.my-service"],
        /not a valid Nix identifier|does not follow/,
      ],
      [["new", "widget", "x"], /unknown kind "widget"/],
      [
        ["new", "dockerImage", "packages/dockerImages/myService.yaml"],
        /give the attribute path, with dots \(dockerImages\.myService\)/,
      ],
    ];
    const before = treeHash(join(mine, "packages"));
    for (const [args, expected] of cases) {
      const result = runCli(args, { cwd: mine });
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(expected);
    }
    expect(treeHash(join(mine, "packages"))).toBe(before);
  });
});

describe("graph and show", () => {
  it("graph prints DOT, Mermaid or a list, cut with --deps and --rdeps", () => {
    const dot = runCli(["graph"], { cwd: root });
    expect(dot.status).toBe(0);
    expect(dot.stdout).toMatch(/^digraph packages \{/);
    expect(dot.stdout).toContain('"dockerImages.contrailApi" -> "contrail32Cw";');
    const mermaid = runCli(["graph", "--format", "mermaid"], { cwd: root });
    expect(mermaid.stdout).toMatch(/^graph LR\n/);
    const rdeps = runCli(["graph", "--rdeps", "contrail32Cw", "--format", "list"], { cwd: root });
    expect(rdeps.stdout.trim().split("\n")).toEqual(
      expect.arrayContaining(["contrail32Cw", "dockerImages.contrailApi", "test.hydra"]),
    );
    expect(rdeps.stdout).not.toMatch(/^locksmith$/m);
    const deps = runCli(["graph", "--deps", "test.hydra", "--format", "list"], { cwd: root });
    expect(deps.stdout.trim().split("\n")).toContain("dockerImages.contrailApi");
    const unknown = runCli(["graph", "--rdeps", "locksmit"], { cwd: root });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("did you mean locksmith?");
  });

  it("show gives the descriptor, its resolved form and the generated file", () => {
    const result = runCli(["show", "locksmith"], { cwd: root });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("# descriptor: packages/locksmith.yaml\n");
    expect(result.stdout).toContain('"pname": "vault-fernet-locksmith"');
    expect(result.stdout).toContain("# generated: generated/locksmith.nix\n");
    expect(result.stdout).toContain('goPackagePath = "github.com/aevox/vault-fernet-locksmith";');
    const unknown = runCli(["show", "dockerImages.contrailAp"], { cwd: root });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("did you mean dockerImages.contrailApi?");
    expect(existsSync(join(root, "generated/locksmith.nix"))).toBe(true);
  });
});
