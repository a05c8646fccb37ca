import fc from "fast-check";
import fg from "fast-glob";
// Unit tests, one block per pipeline stage.

import {
  existsSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
  symlinkSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discover } from "../generator/discover.ts";
import { Expander } from "../generator/expand.ts";
import { emit } from "../generator/emit.ts";
import { generate, loadPackageSet } from "../generator/index.ts";
import { parseBytes } from "../generator/parse.ts";
import { print } from "../generator/print.ts";
import { findCycle, resolve } from "../generator/resolve/index.ts";
import { validate } from "../generator/validate.ts";
import { didYouMean } from "../generator/diagnostics.ts";
import { compareTree } from "../generator/stale.ts";
import { writeTree } from "../generator/write.ts";
import type { DockerImage } from "../generator/model.ts";
import { REPO, rootWith } from "./helpers.ts";
import { FIXTURE } from "./workspace.ts";

const file = (path: string) => ({
  path,
  attrPath: path
    .replace(/^packages\//, "")
    .replace(/\.yaml$/, "")
    .split("/"),
});
const parse = (path: string, text: string) =>
  parseBytes(file(path), new TextEncoder().encode(text));

const PULLED = `kind: pulledImage
imageName: docker-registry.sec.cloudwatt.com/kubernetes/base
imageTag: 16.04-b1536c115472e001
sha256: 0rj1417nn7lmlj9m1l4dsicqrz5y1az7j5v911wfrl590ym57xrb
`;
const APP = `kind: application
description: Fernet keys rotation
pname: vault-fernet-locksmith
version: 0.2.0
source:
  github: { owner: aevox, repo: vault-fernet-locksmith, rev: v0.2.0, sha256: 1s1i98xwk8a0krvpwif0s3hgg8n77j58p8836864sf2yjdl13c0d }
build:
  go: { packagePath: github.com/aevox/vault-fernet-locksmith }
`;
const image = (services: string) => `kind: dockerImage
imageName: locksmith/worker
services:
${services}`;

describe("discover", () => {
  it("derives attribute paths from file paths, sorted", async () => {
    const root = rootWith({
      "packages/b.yaml": "",
      "packages/dockerImages/pulled/a.yaml": "",
      "packages/a.yaml": "",
    });
    const { files, diagnostics } = await discover(root);
    expect(diagnostics).toEqual([]);
    expect(files.map((f) => f.attrPath.join("."))).toEqual(["a", "b", "dockerImages.pulled.a"]);
  });

  it("rejects names that are not identifiers in the set's style, other files and symlinks", async () => {
    const root = rootWith({
      "packages/Bad-Name.yaml": "",
      "packages/notes.txt": "",
      "packages/x.yml": "",
      "packages/if.yaml": "",
      "packages/good.yaml": "",
    });
    symlinkSync(join(root, "packages/good.yaml"), join(root, "packages/link.yaml"));
    const { files, diagnostics } = await discover(root);
    expect(files.map((f) => f.path)).toEqual(["packages/good.yaml"]);
    expect(diagnostics.map((d) => [d.file, d.code])).toEqual([
      ["packages/Bad-Name.yaml", "path/invalid-name"],
      ["packages/if.yaml", "path/invalid-name"],
      ["packages/link.yaml", "path/symlink"],
      ["packages/notes.txt", "path/not-a-descriptor"],
      ["packages/x.yml", "path/not-a-descriptor"],
    ]);
    expect(diagnostics.find((d) => d.file === "packages/x.yml")?.hint).toBe("rename it to x.yaml");
  });
});

describe("parse", () => {
  it("returns the data and keeps positions", () => {
    const result = parse("packages/a.yaml", "kind: application\nversion: 1.0\n");
    expect(result.diagnostics).toEqual([]);
    expect(result.descriptor?.value).toEqual({ kind: "application", version: 1 });
  });

  it("reports malformed YAML with line and column", () => {
    const { diagnostics } = parse("packages/a.yaml", "kind: application\nservices: [a, b\n");
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]).toMatchObject({
      file: "packages/a.yaml",
      line: 3,
      code: expect.stringMatching(/^yaml\//),
    });
  });

  it("rejects duplicate keys at the second key", () => {
    const { diagnostics } = parse("packages/a.yaml", "kind: a\nname: x\nname: y\n");
    expect(diagnostics[0]).toMatchObject({ code: "yaml/duplicate-key", line: 3, column: 1 });
  });

  it("bounds alias expansion", () => {
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++)
      laughs.push(
        `${"bcdefghi"[i - 1]}: &${"bcdefghi"[i - 1]} [${Array(10)
          .fill(`*${"abcdefgh"[i - 1]}`)
          .join(", ")}]`,
      );
    const { diagnostics } = parse("packages/a.yaml", laughs.join("\n") + "\n");
    expect(diagnostics.map((d) => d.code)).toEqual(["yaml/alias-limit"]);
  });

  it("rejects invalid UTF-8 and NUL bytes, accepts a BOM and CRLF line endings", () => {
    const bad = parseBytes(file("packages/a.yaml"), new Uint8Array([0x6b, 0xff, 0x3a]));
    expect(bad.diagnostics.map((d) => d.code)).toEqual(["yaml/invalid-utf8"]);
    expect(parse("packages/a.yaml", "kind: a\0\n").diagnostics.map((d) => d.code)).toEqual([
      "yaml/nul-byte",
    ]);
    const bom = parse("packages/a.yaml", "\uFEFFkind: a\r\nname: b\r\n");
    expect(bom.diagnostics).toEqual([]);
    expect(bom.descriptor?.value).toEqual({ kind: "a", name: "b" });
  });
});

describe("validate", () => {
  const check = (path: string, text: string) =>
    validate(new Expander([]).descriptor(parse(path, text).descriptor!, undefined));

  it("accepts the three kinds", () => {
    expect(check("packages/dockerImages/pulled/base.yaml", PULLED).valid?.kind).toBe("pulledImage");
    expect(check("packages/locksmith.yaml", APP).valid?.kind).toBe("application");
    expect(
      check("packages/dockerImages/w.yaml", image("  - { name: w, command: run }\n")).valid?.kind,
    ).toBe("dockerImage");
  });

  it("points at an unknown key with its line and column and suggests the near name", () => {
    const { diagnostics } = check(
      "packages/dockerImages/w.yaml",
      image("  - name: w\n    comand: run\n"),
    );
    // (A service without a command is reported by resolve: configFiles can stand for it.)
    const unknown = diagnostics.find((d) => d.code === "schema/unknown-key")!;
    expect(unknown).toMatchObject({
      line: 5,
      column: 5,
      length: 6,
      field: "services[0].comand",
      hint: 'did you mean "command"?',
    });
    expect(diagnostics.map((d) => d.code)).toEqual(["schema/unknown-key"]);
  });

  it("reports a wrong type at the value", () => {
    const { diagnostics } = check(
      "packages/dockerImages/w.yaml",
      image("  - name: w\n    command: run\n    oneShot: yes please\n"),
    );
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: "schema/type",
        line: 6,
        column: 14,
        field: "services[0].oneShot",
        message: 'expected boolean, found the string "yes please"',
      }),
    ]);
  });

  it("reports an enum mismatch with a suggestion", () => {
    const { diagnostics } = check(
      "packages/dockerImages/w.yaml",
      image("  - name: w\n    command: run\n    user: rot\n"),
    );
    expect(diagnostics[0]).toMatchObject({
      code: "schema/enum",
      line: 6,
      column: 11,
      hint: 'did you mean "root"?',
    });
  });

  it("rejects an unknown kind with a suggestion", () => {
    const { diagnostics } = check("packages/a.yaml", "kind: aplication\n");
    expect(diagnostics[0]).toMatchObject({
      code: "schema/unknown-kind",
      line: 1,
      column: 7,
      hint: 'did you mean "application"?',
    });
  });

  it("explains a malformed hash with an example", () => {
    const { diagnostics } = check(
      "packages/dockerImages/pulled/base.yaml",
      PULLED.replace(/sha256: .*/, "sha256: abc"),
    );
    expect(diagnostics[0]).toMatchObject({
      code: "schema/pattern",
      line: 4,
      column: 9,
      field: "sha256",
    });
    expect(diagnostics[0]!.hint).toContain("1s1i98xwk8a0krvpwif0s3hgg8n77j58p8836864sf2yjdl13c0d");
  });
});

describe("resolve", () => {
  const load = (files: Record<string, string>, nixFiles: string[] = []) => {
    const valid = Object.entries(files).map(
      ([path, text]) =>
        validate(new Expander([]).descriptor(parse(path, text).descriptor!, undefined)).valid!,
    );
    return resolve(valid, { nixFiles });
  };

  it("fills defaults and parses references", () => {
    const { set, diagnostics } = load({
      "packages/locksmith.yaml": APP,
      "packages/dockerImages/pulled/kubernetesBaseImage.yaml": PULLED,
      "packages/dockerImages/w.yaml": image(
        "  - name: w\n    command: ${{ locksmith }}/bin/x $${{ kept }} ${HOME}\n",
      ),
    });
    expect(diagnostics).toEqual([]);
    const w = set!.packages.find((p) => p.kind === "dockerImage") as DockerImage;
    expect(w.fromImage?.ref).toEqual(["dockerImages", "pulled", "kubernetesBaseImage"]);
    expect(w.services[0]).toMatchObject({
      user: "nobody",
      oneShot: false,
      after: [],
      preStart: null,
    });
    expect(w.services[0]!.command).toEqual([{ ref: ["locksmith"] }, "/bin/x ${{ kept }} ${HOME}"]);
    expect(set!.packages.map((p) => p.attrPath.join("."))).toEqual([
      "dockerImages.pulled.kubernetesBaseImage",
      "dockerImages.w",
      "locksmith",
    ]);
  });

  it("reports an unknown reference at its position, with the near name", () => {
    const { diagnostics } = load({
      "packages/locksmith.yaml": APP,
      "packages/dockerImages/pulled/kubernetesBaseImage.yaml": PULLED,
      "packages/dockerImages/w.yaml": image(
        "  - name: w\n    command: run ${{ locksmit }}/bin/x\n",
      ),
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: "ref/unknown",
        line: 5,
        column: 18,
        length: 15,
        hint: "did you mean ${{ locksmith }}?",
      }),
    ]);
  });

  it("checks service ordering and placement", () => {
    const { diagnostics } = load({
      "packages/dockerImages/pulled/kubernetesBaseImage.yaml": PULLED,
      "packages/locksmith.yaml": image(
        "  - { name: a, command: x, after: [b] }\n  - { name: b, command: y, after: [a, c] }\n",
      ),
    });
    expect(diagnostics.map((d) => d.code).sort()).toEqual([
      "service/after-cycle",
      "service/unknown-after",
      "tree/misplaced",
    ]);
  });

  it("reads a tool written as a Nix file, with paths from the repository root", () => {
    const { set, diagnostics } = load(
      {
        "packages/locksmith.yaml": APP,
        "packages/tools/vm.yaml":
          "kind: tool\ndescription: A VM\nnixFile: ./vm.nix\nnixImports: [./module.nix]\n" +
          "arguments:\n  app: ${{ locksmith }}\n",
      },
      ["packages/tools/vm.nix", "packages/tools/module.nix"],
    );
    expect(diagnostics).toEqual([]);
    const vm = set!.packages.find((p) => p.kind === "tool");
    expect(vm).toMatchObject({
      tool: {
        type: "nixFile",
        nixFile: "packages/tools/vm.nix",
        nixImports: ["packages/tools/module.nix"],
        arguments: [{ name: "app", value: { ref: ["locksmith"] } }],
      },
    });
  });

  it("finds cycles", () => {
    const edges: Record<string, string[]> = { a: ["b"], b: ["c"], c: ["a"], d: [] };
    expect(findCycle(["a", "b", "c", "d"], (n) => edges[n]!)).toEqual(["a", "b", "c", "a"]);
    expect(findCycle(["d"], (n) => edges[n]!)).toBeUndefined();
  });
});

describe("emit and print", () => {
  const modeline = (schema: string, depth: number) =>
    `# yaml-language-server: $schema=${"../".repeat(depth)}schemas/${schema}.schema.json\n`;

  it("produces one file per package plus the tree files, each with a do-not-edit header", async () => {
    const { set } = await loadPackageSet(FIXTURE);
    const files = print(emit(set!).tree);
    const library = readdirSync(join(REPO, "templates/nix")).map((f) => `lib/${f}`);
    expect(library.length).toBeGreaterThanOrEqual(9);
    // One file per descriptor (fragments, pins and Hydra projects excepted), plus the tree files.
    const descriptors = fg
      .sync("**/*.yaml", { cwd: join(FIXTURE, "packages") })
      .filter((f) => !/^(fragments\/|ci\/|pins\.yaml$)/.test(f))
      .map((f) => f.replace(/\.yaml$/, ".nix"));
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        "ci/integration/jobsets.nix",
        "ci/integration/spec.json",
        "default.nix",
        "jobset.nix",
        ...library,
        "nixpkgs-fetch.nix",
        ...descriptors,
      ]),
    );
    for (const [path, text] of files) {
      expect(text.endsWith("\n"), path).toBe(true);
      if (path.endsWith(".json")) continue; // JSON has no comments; generated/ says it all
      expect(text, path).toMatch(
        /^# .*Generated by nixpkgs-cloudwatt from |^# Generated by nixpkgs-cloudwatt from /m,
      );
      expect(text, path).toContain("Do not edit");
      expect(text.endsWith("\n"), path).toBe(true);
    }
    expect(files.get("dockerImages/contrailApi.nix")).toContain(
      "# Generated by nixpkgs-cloudwatt from packages/dockerImages/contrailApi.yaml.",
    );
    expect(files.get("dockerImages/contrailApi.nix")).toContain(
      "exec runuid root ${startOpencontrailApi}/bin/start-opencontrail-api",
    );
  });

  it("calls a tool's Nix file with callPackage and its arguments", async () => {
    const root = rootWith({
      "packages/locksmith.yaml": modeline("application", 1) + APP,
      "packages/tools/vm.yaml":
        modeline("tool", 2) +
        "kind: tool\ndescription: A VM\nnixFile: ./vm.nix\narguments:\n  app: ${{ locksmith }}\n",
      "packages/tools/vm.nix": '{ app, runCommand }:\nrunCommand "vm" { } "touch $out"\n',
    });
    const { set, diagnostics } = await loadPackageSet(root);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const vm = print(emit(set!).tree).get("tools/vm.nix")!;
    expect(vm).toContain("{ callPackage, locksmith }:\n");
    expect(vm).toContain("callPackage ../../packages/tools/vm.nix { app = locksmith; }\n");
  });

  it("binds a test's images once, passes them to its file and adds them to its result", async () => {
    const modeline = (schema: string, depth: number) =>
      `# yaml-language-server: $schema=${"../".repeat(depth)}schemas/${schema}.schema.json\n`;
    const root = rootWith({
      "packages/dockerImages/pulled/kubernetesBaseImage.yaml": modeline("pulled-image", 3) + PULLED,
      "packages/test/probe.yaml":
        modeline("test", 2) +
        "kind: test\ndescription: A probe\nnixFile: ./probe.nix\nimages:\n" +
        "  first:\n    imageName: first\n    services:\n      - name: a\n        command: /bin/a\n" +
        "  second:\n    imageName: second\n    services:\n      - name: b\n        command: /bin/b\n",
      "packages/test/probe.nix":
        '{ first, second, runCommand }:\nrunCommand "probe" { } "touch $out"\n',
      "packages/test/plain.yaml":
        modeline("test", 2) + "kind: test\ndescription: No images\nnixFile: ./plain.nix\n",
      "packages/test/plain.nix": '{ runCommand }:\nrunCommand "plain" { } "touch $out"\n',
    });
    const { set, diagnostics } = await loadPackageSet(root);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const files = print(emit(set!).tree);
    expect(files.get("test/probe.nix")).toContain(
      "let\n  images = {\n" +
        "    first = callPackage ./probe/first.nix { };\n" +
        "    second = callPackage ./probe/second.nix { };\n" +
        "  };\nin\n" +
        "callPackage ../../packages/test/probe.nix { inherit (images) first second; } // { inherit images; }\n",
    );
    expect([...files.keys()]).toEqual(
      expect.arrayContaining(["test/probe/first.nix", "test/probe/second.nix"]),
    );
    // Without images, the test's result is the file's own.
    expect(files.get("test/plain.nix")).toMatch(
      /\ncallPackage \.\.\/\.\.\/packages\/test\/plain\.nix \{ \}\n$/,
    );
  });

  it("gives push jobs only to images that do not set push: false", async () => {
    const modeline = (schema: string, depth: number) =>
      `# yaml-language-server: $schema=${"../".repeat(depth)}schemas/${schema}.schema.json\n`;
    const root = rootWith({
      "packages/dockerImages/pulled/kubernetesBaseImage.yaml": modeline("pulled-image", 3) + PULLED,
      "packages/dockerImages/pushed.yaml":
        modeline("docker-image", 2) + image("  - name: a\n    command: /bin/a\n"),
      "packages/dockerImages/kept.yaml":
        modeline("docker-image", 2) +
        `push: false\n${image("  - name: b\n    command: /bin/b\n").replace("locksmith/worker", "locksmith/kept")}`,
    });
    const { set, diagnostics } = await loadPackageSet(root);
    expect(diagnostics).toEqual([]);
    const kept = set!.packages.find((p) => p.attrPath.join(".") === "dockerImages.kept");
    expect(kept).toMatchObject({ push: false });
    const jobset = print(emit(set!).tree).get("jobset.nix")!;
    // Both images are built; only the pushed one has a push job.
    expect(jobset).toContain("kept = set.dockerImages.kept;");
    expect(jobset).toContain("pushed = set.dockerImages.pushed;");
    const push = jobset.slice(jobset.indexOf("pushDockerImages = {"));
    expect(push).toContain("pushed = pushImage set.dockerImages.pushed;");
    expect(push).not.toContain("kept");
  });

  it("writes the consul-template call in the form and with the wrapper a service asks for", async () => {
    const modeline = (schema: string, depth: number) =>
      `# yaml-language-server: $schema=${"../".repeat(depth)}schemas/${schema}.schema.json\n`;
    const file = (destination: string) =>
      `    configFiles:\n      - destination: ${destination}\n        template: "x"\n`;
    const root = rootWith({
      "packages/dockerImages/pulled/kubernetesBaseImage.yaml": modeline("pulled-image", 3) + PULLED,
      "packages/dockerImages/forms.yaml":
        modeline("docker-image", 2) +
        image(
          "  - name: spaced\n    command: /bin/a\n" +
            file("/run/a.conf") +
            "  - name: equals\n    command: /bin/b\n    templateFlagForm: equals\n" +
            file("/run/b.conf") +
            "  - name: render\n    consulTemplateWrapper: /usr/sbin/consul-template-wrapper\n" +
            "    templateFlagForm: equals\n    consulTemplateFlags: [--no-lock]\n" +
            file("/run/c.conf"),
        ),
    });
    const { set, diagnostics } = await loadPackageSet(root);
    expect(diagnostics).toEqual([]);
    const forms = print(emit(set!).tree).get("dockerImages/forms.nix")!;
    expect(forms).toContain(
      'consul-template-wrapper -- -once -template "${spacedAConf}:/run/a.conf"',
    );
    expect(forms).toContain(
      'consul-template-wrapper -- -once -template="${equalsBConf}:/run/b.conf"',
    );
    expect(forms).toContain(
      'exec runuid nobody /usr/sbin/consul-template-wrapper --no-lock -- -once -template="${renderCConf}:/run/c.conf"',
    );
    expect(forms.match(/-template[ =]"/g)).toHaveLength(3);
  });

  it("writes one go2nix deps file for Go programs with the same deps", async () => {
    const dep = (name: string) => `
        - packagePath: github.com/example/${name}
          url: https://github.com/example/${name}
          rev: 8eace64170b3ff1af8b13d54817087f28d935b34
          sha256: 1jkccrhgq3ywx43lg3cf7w1s31pcsqli23zpn1bbayp6xfn1km62`;
    const root = rootWith({
      "packages/fragments/analyzer.yaml": `${modeline("fragment", 2)}kind: fragment
description: An analyzer as a Go build, for a static and a dynamic variant
fragmentOf: application
value:
  description: An analyzer
  pname: analyzer
  version: 1.0.0
  source:
    github: { owner: example, repo: analyzer, rev: v1.0.0, sha256: 0b3lynw3ccr2csd8l326ymd3317a2b6ki5cql03zdzyf2phlj7v1 }
  build:
    go:
      packagePath: github.com/example/analyzer
      deps:${dep("a")}${dep("b")}
`,
      "packages/analyzer.yaml": `${modeline("application", 1)}kind: application\nextends: [fragments.analyzer]\n`,
      "packages/analyzerStatic.yaml": `${modeline("application", 1)}kind: application\nextends: [fragments.analyzer]\n`,
      "packages/locksmith.yaml":
        modeline("application", 1) +
        APP.replace(
          "go: { packagePath: github.com/aevox/vault-fernet-locksmith }",
          `go:\n    packagePath: github.com/aevox/vault-fernet-locksmith\n    deps:${dep("c").replaceAll("\n  ", "\n")}`,
        ),
    });
    const loaded = await loadPackageSet(root);
    expect(loaded.diagnostics).toEqual([]);
    const files = print(emit(loaded.set!).tree);
    expect(files.has("analyzerStatic-deps.nix")).toBe(false);
    expect(files.get("analyzer-deps.nix")).toContain(
      "from packages/analyzer.yaml, packages/analyzerStatic.yaml.",
    );
    for (const app of ["analyzer.nix", "analyzerStatic.nix"]) {
      expect(files.get(app)).toContain("goDeps = ./analyzer-deps.nix;");
    }
    expect(files.get("locksmith.nix")).toContain("goDeps = ./locksmith-deps.nix;");
    expect(files.get("locksmith-deps.nix")).toContain("github.com/example/c");
  });

  it("prints the same bytes every time", async () => {
    const a = print(emit((await loadPackageSet(FIXTURE)).set!).tree);
    const b = print(emit((await loadPackageSet(FIXTURE)).set!).tree);
    expect([...a]).toEqual([...b]);
  });
});

describe("write", () => {
  const texts = (entries: Record<string, string>) => new Map(Object.entries(entries));

  it("writes only what changed, removes what it wrote before, keeps files it did not write", async () => {
    const root = rootWith({});
    const first = await writeTree(root, texts({ "a.nix": "a\n", "sub/b.nix": "b\n" }));
    expect(first.written).toEqual(["a.nix", "sub/b.nix", ".manifest"]);
    writeFileSync(join(root, "generated/mine.txt"), "user file\n");
    const mtime = statSync(join(root, "generated/a.nix")).mtimeMs;

    const second = await writeTree(root, texts({ "a.nix": "a\n", "c.nix": "c\n" }));
    expect(second.written).toEqual(["c.nix", ".manifest"]);
    expect(second.removed).toEqual(["sub/b.nix"]);
    expect(second.unknown).toEqual(["mine.txt"]);
    expect(statSync(join(root, "generated/a.nix")).mtimeMs).toBe(mtime);
    expect(existsSync(join(root, "generated/sub"))).toBe(false);
    expect(readFileSync(join(root, "generated/mine.txt"), "utf8")).toBe("user file\n");
  });

  it("compares without writing", async () => {
    const root = rootWith({});
    await writeTree(root, texts({ "a.nix": "a\n", "b.nix": "b\n" }));
    const before = readFileSync(join(root, "generated/a.nix"), "utf8");
    const stale = await compareTree(root, texts({ "a.nix": "A\n", "c.nix": "c\n" }));
    expect(stale).toEqual([
      { path: ".manifest", state: "changed" },
      { path: "a.nix", state: "changed" },
      { path: "b.nix", state: "extra" },
      { path: "c.nix", state: "missing" },
    ]);
    expect(readFileSync(join(root, "generated/a.nix"), "utf8")).toBe(before);
  });
});

describe("generate", () => {
  it("finds the committed generated/ up to date", async () => {
    const result = await generate({ root: REPO, check: true });
    expect(result.diagnostics).toEqual([]);
    expect(result.stale).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe("did you mean", () => {
  it("offers the near name for a typo, and nothing for an unrelated word", () => {
    const names = ["bash", "gawk", "python3", "python27Full", "redis"];
    expect(didYouMean("bsah", names)).toBe("bash");
    expect(didYouMean("pyhton3", names)).toBe("python3");
    expect(didYouMean("python27", names)).toBe("python27Full");
    expect(didYouMean("rediss", names)).toBe("redis");
    expect(didYouMean("zzzz", names)).toBeUndefined();
  });

  it("finds any name of three letters or more from one typo: a swap, a letter added, lost or changed", () => {
    const word = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{2,15}$/);
    const typo = fc.tuple(word, fc.nat(), fc.constantFrom("swap", "add", "drop", "change"));
    fc.assert(
      fc.property(typo, ([name, at, kind]) => {
        const i = at % name.length;
        const changed =
          kind === "swap" && i + 1 < name.length
            ? name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2)
            : kind === "add"
              ? `${name.slice(0, i)}q${name.slice(i)}`
              : kind === "drop"
                ? name.slice(0, i) + name.slice(i + 1)
                : `${name.slice(0, i)}${name[i] === "x" ? "y" : "x"}${name.slice(i + 1)}`;
        expect(didYouMean(changed, ["unrelatedpackage", name])).toBe(name);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
