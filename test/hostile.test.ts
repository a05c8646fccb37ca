// Hostile input that must work, or fail with one clear diagnostic: names that are also names of
// JavaScript's object members, generated names that could collide or hide an argument, line
// endings, a Nix that cannot run, and library wording. Each case starts from the small fixture
// set under test/fixtures/reference. Failing inputs with a position are in the corpus
// (test/corpus/cases.ts); the fuzzer (test/fuzz/) found several of these.

import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate, type GenerateResult } from "../generator/index.ts";
import { parseBytes } from "../generator/parse.ts";
import {
  HARNESS,
  REPO,
  nixEval,
  nixTestsEnabled,
  packageSetExpr,
  run,
  tempDir,
} from "./helpers.ts";

const FIXTURE = join(REPO, "test/fixtures/reference/packages");
const schema = (path: string, file: string): string =>
  `# yaml-language-server: $schema=${"../".repeat(path.split("/").length - 1)}schemas/${file}\n`;

/** The fixture set with `files` written over it (paths relative to the project root). */
function fixtureWith(files: Record<string, string>): string {
  const root = tempDir();
  cpSync(FIXTURE, join(root, "packages"), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const errors = (r: GenerateResult) =>
  r.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => `${d.file}: ${d.code} ${d.message}`);

const fixtureText = (path: string): string => readFileSync(join(FIXTURE, path), "utf8");

/** An application named after its path (the fixture's waitFor, moved). */
const application = (path: string): Record<string, string> => ({
  [path]: fixtureText("waitFor.yaml").replace(
    /^# yaml-language-server.*\n/,
    schema(path, "application.schema.json"),
  ),
});

describe("names of JavaScript's object members are names like any other", () => {
  it("a folder named constructor and files named toString and valueOf are packages", async () => {
    const root = fixtureWith({
      ...application("packages/constructor/toString.yaml"),
      ...application("packages/valueOf.yaml"),
      ...application("packages/hasOwnProperty.yaml"),
    });
    const result = await generate({ root });
    expect(errors(result)).toEqual([]);
    const set = result.files.get("default.nix")!;
    expect(set).toContain(
      "constructor = {\n      toString = callPackage ./constructor/toString.nix { };",
    );
    expect(set).toContain("valueOf = callPackage ./valueOf.nix { };");
    expect(set).toContain("hasOwnProperty = callPackage ./hasOwnProperty.nix { };");
    expect(result.files.has("constructor/toString.nix")).toBe(true);
  });

  it("a fragment parameter named toString takes the value it is given", async () => {
    const fragment = "packages/fragments/described.yaml";
    const root = fixtureWith({
      [fragment]:
        schema(fragment, "fragment.schema.json") +
        "kind: fragment\ndescription: A description with a parameter\nfragmentOf: application\n" +
        "parameters:\n  toString: { description: What the program is }\n" +
        'value:\n  description: "wait-for: ${{ args.toString }}"\n',
      "packages/waitFor.yaml": fixtureText("waitFor.yaml")
        .replace(/^description: .*$/m, "")
        .replace(
          "kind: application",
          "kind: application\nextends: [{ fragment: fragments.described, with: { toString: a port waiter } }]",
        ),
    });
    const result = await generate({ root });
    expect(errors(result)).toEqual([]);
    expect(result.files.get("waitFor.nix")).toContain('description = "wait-for: a port waiter";');
  });

  it("__proto__ is an unknown key, also where fragments are merged", async () => {
    const root = fixtureWith({
      "packages/waitFor.yaml": fixtureText("waitFor.yaml") + "__proto__:\n  pname: other\n",
    });
    const result = await generate({ root });
    expect(errors(result)).toEqual([
      expect.stringMatching(
        /^packages\/waitFor\.yaml: schema\/unknown-key unknown key "__proto__"/,
      ),
    ]);
  });
});

describe("line endings", () => {
  it("a descriptor saved with CR line endings generates what LF gives", async () => {
    const lf = await generate({ root: fixtureWith({}) });
    const text = fixtureText("locksmith.yaml");
    const cr = await generate({
      root: fixtureWith({ "packages/locksmith.yaml": text.replaceAll("\n", "\r") }),
    });
    expect(errors(cr)).toEqual([]);
    expect(cr.files).toEqual(lf.files);
  });
});

describe("generated names never collide or hide an argument", () => {
  const IMAGE = "packages/dockerImages/names.yaml";
  const image =
    schema(IMAGE, "docker-image.schema.json") +
    [
      "kind: dockerImage",
      "imageName: test/names",
      "fromImage: ${{ dockerImages.pulled.kubernetesBaseImage }}",
      "services:",
      "  - name: cw", // its config file `lib` would be named cwLib, an argument of the file
      "    command: run",
      "    configFiles:",
      "      - { destination: /etc/lib, template: a }",
      "  - name: foo-bar", // foo-bar and foo.bar both have a start script startFooBar
      "    command: run",
      "    preStart: echo one",
      "  - name: foo.bar",
      "    command: run",
      "    preStart: echo two",
      "    configFiles:", // two files named x.conf in two folders
      "      - { destination: /a/x.conf, template: a }",
      "      - { destination: /b/x.conf, template: b }",
      "",
    ].join("\n");
  const TOOL = "packages/tools/withFiles.yaml";
  const tool =
    schema(TOOL, "tool.schema.json") +
    [
      "kind: tool",
      "description: Refers to a package named files and has files of its own",
      "script:",
      "  program: with-files",
      "  text: ${{ files }}/bin/wait-for -- cat ${{ self.files }}/note",
      "  files:",
      "    note: a note",
      "",
    ].join("\n");

  it("each let binding has a name of its own, apart from the arguments", async () => {
    const root = fixtureWith({
      [IMAGE]: image,
      [TOOL]: tool,
      ...application("packages/files.yaml"),
    });
    const result = await generate({ root });
    expect(errors(result)).toEqual([]);
    const imageFile = result.files.get("dockerImages/names.nix")!;
    const lets = [...imageFile.matchAll(/^ {2}(\w+) =/gm)].map((m) => m[1]);
    expect(lets).toEqual(expect.arrayContaining(["cwLib2", "startFooBar", "startFooBar2"]));
    expect(lets).toEqual(expect.arrayContaining(["fooBarXConf", "fooBarXConf2"]));
    expect(new Set(lets).size).toBe(lets.length);
    expect(imageFile).toMatch(/^\{\n(.*\n)*? {2}cwLib,\n/m);
    const toolFile = result.files.get("tools/withFiles.nix")!;
    expect(toolFile).toContain("files2 = cwLib.toolFiles");
    expect(toolFile).toContain("${files}/bin/wait-for -- cat ${files2}/note");
  });

  it.runIf(nixTestsEnabled())(
    "and the image and the tool instantiate with the harness",
    async () => {
      const root = fixtureWith({
        [IMAGE]: image,
        [TOOL]: tool,
        ...application("packages/files.yaml"),
      });
      expect(errors(await generate({ root }))).toEqual([]);
      const set = packageSetExpr(HARNESS, root);
      const drvs = nixEval([
        "-E",
        `let s = ${set}; in map (d: d.drvPath) [ s.dockerImages.names s.tools.withFiles ]`,
      ]) as string[];
      expect(drvs).toHaveLength(2);
    },
  );
});

describe("hand-written Nix files", () => {
  it("an error in a test descriptor does not also report its .nix file as unused", async () => {
    const test = fixtureText("test/hydra.yaml");
    const root = fixtureWith({ "packages/test/hydra.yaml": test + "bogus: 1\n" });
    const codes = (await generate({ root })).diagnostics.map((d) => d.code);
    expect(codes).toContain("schema/unknown-key");
    expect(codes).not.toContain("path/unused-nix-file");
  });

  it("nor when the descriptor beside it cannot be parsed at all", async () => {
    const root = fixtureWith({
      "packages/test/hydra.yaml": "kind: test\n\tnixFile: ./hydra.nix\n",
    });
    const codes = (await generate({ root })).diagnostics.map((d) => d.code);
    expect(codes).toContain("yaml/tab-as-indent");
    expect(codes).not.toContain("path/unused-nix-file");
  });

  it("a Nix that cannot run is one error for the run, not a syntax error per file", async () => {
    const bin = tempDir("nixgen-fake-nix-");
    writeFileSync(
      join(bin, "nix-instantiate"),
      "#!/bin/sh\necho \"error: cannot connect to socket at '/nix/var/nix/daemon-socket/socket'\" >&2\nexit 1\n",
    );
    chmodSync(join(bin, "nix-instantiate"), 0o755);
    // A content of its own: results of earlier runs are kept by content.
    const nixFile = fixtureText("test/hydra.nix") + `# ${bin}\n`;
    const root = fixtureWith({ "packages/test/hydra.nix": nixFile });
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const result = await generate({ root });
      const nix = result.diagnostics.filter((d) => d.code.startsWith("nixfile/"));
      expect(nix.map((d) => [d.file, d.code, d.severity])).toEqual([
        ["packages", "nixfile/nix-unusable", "error"],
      ]);
      expect(nix[0]!.message).toContain("cannot connect to socket");
      process.env.PATH = bin; // no nix-instantiate there: the one warning of a missing Nix
      rmSync(join(bin, "nix-instantiate"));
      const missing = await generate({ root });
      const warnings = missing.diagnostics.filter((d) => d.code.startsWith("nixfile/"));
      expect(warnings.map((d) => [d.file, d.code, d.severity])).toEqual([
        ["packages", "nixfile/unchecked", "warning"],
      ]);
    } finally {
      process.env.PATH = path;
    }
  });

  it("a file parsed before is parsed again by another Nix: the record is per nix-instantiate", async () => {
    // Parsed by this machine's Nix, and so recorded as parsed.
    const nixFile = fixtureText("test/hydra.nix") + "# recorded\n";
    const first = await generate({ root: fixtureWith({ "packages/test/hydra.nix": nixFile }) });
    expect(first.diagnostics.filter((d) => d.code.startsWith("nixfile/"))).toEqual([]);
    // The same content, with a nix-instantiate that cannot run first on PATH: it is asked.
    const bin = tempDir("nixgen-other-nix-");
    writeFileSync(join(bin, "nix-instantiate"), "#!/bin/sh\necho 'error: broken' >&2\nexit 1\n");
    chmodSync(join(bin, "nix-instantiate"), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const other = await generate({ root: fixtureWith({ "packages/test/hydra.nix": nixFile }) });
      expect(other.diagnostics.map((d) => d.code)).toContain("nixfile/nix-unusable");
    } finally {
      process.env.PATH = path;
    }
  });
});

describe("library wording never reaches the user", () => {
  const file = { path: "packages/x.yaml", attrPath: ["x"] };
  const aliasBomb =
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n" +
    "bcdefgh"
      .split("")
      .map((n, i) => `${n}: &${n} [${Array(10).fill(`*${"abcdefg"[i]}`).join(", ")}]\n`)
      .join("");
  const inputs = {
    "a second document": "kind: tool\n---\nkind: tool\n",
    "an alias bomb": aliasBomb,
    "nesting 2,000 levels deep": `a: ${"[".repeat(2000)}${"]".repeat(2000)}\n`,
    "a flow sequence as a key": "[a, b]: c\n",
    "a bad escape": 'a: "\\q"\n',
    "an unknown tag": "a: !foo x\n",
    "a compact nested mapping": "a: b: c\n",
  };
  const LIBRARY = /YAML\.|parseAllDocuments|resource exhaustion|call stack|stringKeys|\bJS\b/i;

  for (const [name, text] of Object.entries(inputs)) {
    it(name, () => {
      const { diagnostics } = parseBytes(file, new TextEncoder().encode(text));
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]!.code).toMatch(/^yaml\//);
      expect(`${diagnostics[0]!.message} ${diagnostics[0]!.hint ?? ""}`).not.toMatch(LIBRARY);
    });
  }
});

describe.runIf(nixTestsEnabled())("the fixture stays a valid base", () => {
  it("parses with Nix once generated", async () => {
    const root = fixtureWith({});
    const result = await generate({ root });
    expect(errors(result)).toEqual([]);
    const files = [...result.files.keys()].filter((p) => p.endsWith(".nix"));
    const parsed = run("nix-instantiate", [
      "--parse",
      ...files.map((p) => join(root, "generated", p)),
    ]);
    expect(parsed.stderr).toBe("");
  });
});
