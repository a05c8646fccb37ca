// The bad-input corpus: each case is a few files written over the small fixture set
// (test/fixtures/reference/packages), and the one diagnostic the generator must report for them
// (file, 1-based line and column, 0/0 for a whole-file problem). The runner is
// test/corpus.test.ts.
//
// Reading a fixture: every descriptor starts with the `# yaml-language-server: $schema=...` line
// that `doc()` adds, so the first line of a body (its `kind:` line) is line 2 of the file.

import { KIND_SCHEMAS, type Kind } from "../../generator/kinds.ts";

export type Files = Record<string, string | Uint8Array | null>;

export interface Expected {
  readonly code: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly field?: string;
  /** Substrings of the message and of the hint. */
  readonly message?: string;
  readonly hint?: string;
}

export interface Case {
  readonly name: string;
  /** Paths relative to the project root; null deletes the file. */
  readonly files: Files;
  /** Symbolic links to create: path -> target (relative to the link's folder). */
  readonly symlinks?: Readonly<Record<string, string>>;
  /** The case needs nix-instantiate (skipped without it). */
  readonly needsNix?: boolean;
  readonly expect: Expected;
}

// ---------------------------------------------------------------------------------------------
// Fixture builders

/** Dedent a template literal (first empty line dropped), ending with one newline. */
export function y(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + String(values[i - 1]) + s);
  const lines = raw
    .replace(/^\n/, "")
    .replace(/\n\s*$/, "")
    .split("\n");
  const cut = Math.min(
    ...lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length),
  );
  return lines.map((l) => l.slice(cut)).join("\n") + "\n";
}

const indent = (text: string, by: number): string =>
  text
    .split("\n")
    .map((l) => (l === "" ? l : " ".repeat(by) + l))
    .join("\n");

/** The schema comment line for a descriptor at `path` whose body declares `kind: <kind>`. */
function header(path: string, body: string): string {
  const kind = /^kind: *(\w+)/m.exec(body)?.[1] ?? "application";
  const up = "../".repeat(path.split("/").length - 1);
  const schema = KIND_SCHEMAS[kind as Kind] ?? KIND_SCHEMAS.application;
  return `# yaml-language-server: $schema=${up}schemas/${schema}\n`;
}

/** One descriptor file: the schema line (line 1), then `body` from line 2. */
export const doc = (path: string, body: string): Files => ({ [path]: header(path, body) + body });

/** `body` without the top-level key `key` (its line and the lines indented under it). */
export function omit(body: string, key: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of body.split("\n")) {
    if (line.startsWith(`${key}:`)) skipping = true;
    else if (skipping && !/^(\s|$)/.test(line)) skipping = false;
    if (!skipping) out.push(line);
  }
  return out.join("\n");
}

const crlf = (text: string): string => text.replace(/\r?\n/g, "\r\n");

export const APP = "packages/demo.yaml";
export const TOOL = "packages/tools/demo.yaml";
export const TEST = "packages/test/demo.yaml";
export const TEST_NIX = "packages/test/demo.nix";
const TOOL_NIX = "packages/tools/demo.nix";
export const PINS = "packages/pins.yaml";
export const CI = "packages/ci/demo.yaml";
export const PULLED = "packages/dockerImages/pulled/demo.yaml";
export const IMG = "packages/dockerImages/demo.yaml";
export const DEB = "packages/debianPackages/demo.yaml";
export const SET = "packages/contrail32Cw.yaml";
export const frag = (name: string): string => `packages/${name.replaceAll(".", "/")}.yaml`;

const SHA = "0rj1417nn7lmlj9m1l4dsicqrz5y1az7j5v911wfrl590ym57xrb";

/** A valid application: description line 3, pname 4, version 5, build 6, go 7, packagePath 8. */
export const APP_BODY = y`
  kind: application
  description: Demo application
  pname: demo
  version: 1.0.0
  build:
    go:
      packagePath: github.com/example/demo
`;
/** An application with a go build and `goLines` under `go:` (from line 7). */
const goApp = (goLines: string): Files =>
  doc(
    APP,
    y`
      kind: application
      description: Demo application
      pname: demo
      build:
        go:
    ` + indent(goLines, 6),
  );
/** An application whose `build:` (line 5) holds `buildLines` (from line 6). */
const appBuild = (buildLines: string): Files =>
  doc(
    APP,
    y`
      kind: application
      description: Demo application
      pname: demo
      build:
    ` + indent(buildLines, 4),
  );

/** A valid tool: description 3, script 4, program 5, text 6. */
export const TOOL_BODY = y`
  kind: tool
  description: Demo tool
  script:
    program: demo
    text: echo demo
`;
/** A tool whose `script:` (line 4) holds `scriptLines` (from line 5). */
const script = (scriptLines: string): Files =>
  doc(
    TOOL,
    y`
      kind: tool
      description: Demo tool
      script:
    ` + indent(scriptLines, 4),
  );

/** A valid test with its Nix file: description 3, nixFile 4. */
export const TEST_BODY = y`
  kind: test
  description: Demo test
  nixFile: ./demo.nix
`;
const NIX_OK = '{ runCommand }:\nrunCommand "demo" { } "touch $out"\n';
/** A valid tool written as a Nix file (TOOL_NIX): description 3, nixFile 4. */
const NIX_TOOL_BODY = y`
  kind: tool
  description: Demo tool
  nixFile: ./demo.nix
`;
const test = (body: string, nix: string | null = NIX_OK): Files => ({
  ...doc(TEST, body),
  [TEST_NIX]: nix,
});

/** The repository's pins: nixpkgs 3 (owner 4 .. sha256 8), contrail 9 (owner 10 .. sha256 14). */
export const PINS_BODY = y`
  kind: pins
  nixpkgs:
    owner: NixOS
    repo: nixpkgs
    branch: release-18.03
    rev: 6796f5db1c2a25aeade10d613ddb403e4eb7a928
    sha256: 0fmvh1wcr1rgsr6cv8bpw5rmm9ypg94q7h9s4xqzaq567d3nhhhz
  contrail:
    owner: nlewo
    repo: nixpkgs-contrail
    branch: master
    rev: 856e0d3f7e58d5c51aae86bc3a12732b3c33baf4
    sha256: 15qfhy9xb3rfpzh3nz3342ak25nshb50sfspy2y85bqk1dpdxdv5
`;

/** A valid Hydra project: project 3, displayName 4, repository 5-6, nixpkgs 7-9, jobsets 10-12. */
export const CI_BODY = y`
  kind: hydraProject
  project: demo
  displayName: Demo CI
  repository:
    url: https://github.com/example/demo
  nixpkgs:
    url: https://github.com/NixOS/nixpkgs
    rev: acd89daabcb47cb882bc72ffc2d01281ed1fecb8
  jobsets:
    trunk:
      description: Build master
`;
/** A Hydra project with `tail` appended after the trunk jobset (from line 13). */
const ci = (tail: string): Files => doc(CI, CI_BODY + tail);

/** A valid pulled image: imageName 3, imageTag 4, sha256 5. */
export const PULLED_BODY = y`
  kind: pulledImage
  imageName: docker.io/library/demo
  imageTag: "1.0"
  sha256: ${SHA}
`;

/** An image at packages/dockerImages/demo.yaml whose services start on line 6. */
const image = (services: string, tail = ""): Files =>
  doc(
    IMG,
    y`
      kind: dockerImage
      description: Demo image
      imageName: test/demo
      services:
    ` +
      indent(services, 2) +
      tail,
  );
/** An image with one service `web` (line 6) whose first config file starts on line 8. */
const configFile = (fileLines: string): Files =>
  image(
    y`
      - name: web
        configFiles:
    ` + indent(fileLines, 4),
  );

/** A valid Debian package: description 3, packageName 4, version 5. */
export const DEB_BODY = y`
  kind: debianPackage
  description: Demo package
  packageName: demo
  version: "1.0"
`;

/** A valid contrail package set: upstream 3-4, expose 5-6. */
export const SET_BODY = y`
  kind: contrailPackageSet
  upstream:
    version: contrail32
  expose:
    - api
`;

/**
 * A fragment `name` of `target`: description 3, fragmentOf 4, then `parameters` (lines from 5)
 * and `value:` whose content is `value` indented under it.
 */
function fragment(name: string, target: string, value: string, parameters = ""): Files {
  const params = parameters === "" ? "" : "parameters:\n" + indent(parameters, 2);
  return doc(
    frag(name),
    `kind: fragment\ndescription: Demo fragment\nfragmentOf: ${target}\n${params}value:\n` +
      indent(value, 2),
  );
}

const at = (file: string, line: number, column: number) => ({ file, line, column });
const wholeFile = (file: string) => ({ file, line: 0, column: 0 });
/** A problem with the descriptor as a whole, reported at its first key (line 2). */
const top = (file: string) => ({ file, line: 2, column: 1 });

// ---------------------------------------------------------------------------------------------
// Paths under packages/

const pathCases: Case[] = [
  {
    name: "path/symlink: a descriptor that is a symbolic link",
    files: doc(APP, APP_BODY),
    symlinks: { "packages/link.yaml": "demo.yaml" },
    expect: { code: "path/symlink", ...wholeFile("packages/link.yaml") },
  },
  {
    name: "path/symlink: a folder that is a symbolic link",
    files: {},
    symlinks: { "packages/images": "dockerImages" },
    expect: { code: "path/symlink", ...wholeFile("packages/images") },
  },
  {
    name: "path/invalid-name: folder with a dash and capitals",
    files: doc("packages/Bad-Folder/demo.yaml", APP_BODY),
    expect: { code: "path/invalid-name", ...wholeFile("packages/Bad-Folder"), message: "folder" },
  },
  {
    name: "path/invalid-name: folder named by a Nix keyword",
    files: doc("packages/let/demo.yaml", APP_BODY),
    expect: { code: "path/invalid-name", ...wholeFile("packages/let"), message: "folder" },
  },
  {
    name: "path/invalid-name: folder starting with an underscore",
    files: doc("packages/_old/demo.yaml", APP_BODY),
    expect: { code: "path/invalid-name", ...wholeFile("packages/_old"), message: "style" },
  },
  {
    name: "path/invalid-name: file name with a dash",
    files: doc("packages/my-app.yaml", APP_BODY),
    expect: { code: "path/invalid-name", ...wholeFile("packages/my-app.yaml"), message: "file" },
  },
  {
    name: "path/invalid-name: file named by a Nix keyword",
    files: doc("packages/if.yaml", APP_BODY),
    expect: { code: "path/invalid-name", ...wholeFile("packages/if.yaml") },
  },
  {
    name: "path/invalid-name: file name starting with a digit",
    files: doc("packages/2fast.yaml", APP_BODY),
    expect: { code: "path/invalid-name", ...wholeFile("packages/2fast.yaml") },
  },
  {
    name: "path/invalid-name: file name starting with a capital",
    files: doc("packages/tools/Demo.yaml", TOOL_BODY),
    expect: { code: "path/invalid-name", ...wholeFile("packages/tools/Demo.yaml") },
  },
  {
    name: "path/invalid-name: file name with a dot in its stem",
    files: doc("packages/my.app.yaml", APP_BODY),
    expect: { code: "path/invalid-name", ...wholeFile("packages/my.app.yaml") },
  },
  {
    name: "path/invalid-name: a hidden file",
    files: doc("packages/.demo.yaml", APP_BODY),
    expect: { code: "path/invalid-name", ...wholeFile("packages/.demo.yaml") },
  },
  {
    name: "path/invalid-name: Nix file name with a space",
    files: { ...test(TEST_BODY), "packages/test/bad name.nix": NIX_OK },
    expect: {
      code: "path/invalid-name",
      ...wholeFile("packages/test/bad name.nix"),
      message: "Nix file name",
    },
  },
  {
    name: "path/invalid-name: Nix file name starting with a dash",
    files: { ...test(TEST_BODY), "packages/test/-demo.nix": NIX_OK },
    expect: { code: "path/invalid-name", ...wholeFile("packages/test/-demo.nix") },
  },
  {
    name: "path/not-a-descriptor: .yml extension, with a rename hint",
    files: doc("packages/demo.yml", APP_BODY),
    expect: {
      code: "path/not-a-descriptor",
      ...wholeFile("packages/demo.yml"),
      hint: "rename it to demo.yaml",
    },
  },
  {
    name: "path/not-a-descriptor: a JSON descriptor",
    files: { "packages/demo.json": '{ "kind": "application" }\n' },
    expect: { code: "path/not-a-descriptor", ...wholeFile("packages/demo.json") },
  },
  {
    name: "path/not-a-descriptor: a README without extension",
    files: { "packages/README": "Descriptors live here.\n" },
    expect: { code: "path/not-a-descriptor", ...wholeFile("packages/README") },
  },
  {
    name: "path/not-a-descriptor: a README.md in a folder",
    files: { "packages/dockerImages/README.md": "# Images\n" },
    expect: { code: "path/not-a-descriptor", ...wholeFile("packages/dockerImages/README.md") },
  },
  {
    name: "path/not-a-descriptor: an editor backup file",
    files: { "packages/locksmith.yaml~": "kind: application\n" },
    expect: { code: "path/not-a-descriptor", ...wholeFile("packages/locksmith.yaml~") },
  },
  {
    name: "path/unused-nix-file: a Nix file no test names",
    files: { "packages/test/orphan.nix": NIX_OK },
    expect: { code: "path/unused-nix-file", ...wholeFile("packages/test/orphan.nix") },
  },
  {
    name: "path/unused-nix-file: a Nix file beside a tool",
    files: { ...doc(TOOL, TOOL_BODY), "packages/tools/demo.nix": NIX_OK },
    expect: { code: "path/unused-nix-file", ...wholeFile("packages/tools/demo.nix") },
  },
];

// ---------------------------------------------------------------------------------------------
// YAML syntax and encoding

const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
};

const yamlCases: Case[] = [
  {
    name: "yaml: a nested mapping in a compact value",
    files: doc(APP, APP_BODY.replace("pname: demo", "pname: demo: app")),
    expect: { code: "yaml/block-as-implicit-key", ...at(APP, 4, 8) },
  },
  {
    name: "yaml: a stray closing bracket",
    files: doc(APP, APP_BODY + "meta:\n  platforms: [x86_64-linux]]\n"),
    expect: { code: "yaml/unexpected-token", ...at(APP, 10, 28) },
  },
  {
    name: "yaml: a key without a colon",
    files: doc(APP, APP_BODY.replace("pname: demo", "pname")),
    expect: { code: "yaml/multiline-implicit-key", ...at(APP, 4, 1) },
  },
  {
    name: "yaml: a list item inside a mapping",
    files: doc(APP, APP_BODY + "- extra\n"),
    expect: { code: "yaml/block-as-implicit-key", ...at(APP, 9, 1) },
  },
  {
    name: "yaml: two documents in one file",
    files: doc(APP, APP_BODY + "---\n" + APP_BODY),
    expect: { code: "yaml/multiple-docs", ...at(APP, 9, 1) },
  },
  {
    name: "yaml: an unknown tag",
    files: doc(APP, APP_BODY.replace("pname: demo", "pname: !nix demo")),
    expect: { code: "yaml/tag", ...at(APP, 4, 8) },
  },
  {
    name: "yaml/duplicate-key: a top-level key written twice",
    files: doc(APP, APP_BODY + "pname: other\n"),
    expect: { code: "yaml/duplicate-key", ...at(APP, 9, 1) },
  },
  {
    name: "yaml/duplicate-key: a service key written twice",
    files: image("- name: web\n  command: run\n  name: api\n"),
    expect: { code: "yaml/duplicate-key", ...at(IMG, 8, 5) },
  },
  {
    name: "yaml/duplicate-key: in a flow mapping",
    files: doc(APP, APP_BODY + "meta: { license: mit, license: asl20 }\n"),
    expect: { code: "yaml/duplicate-key", ...at(APP, 9, 23) },
  },
  {
    name: "yaml/tab-as-indent: a tab before a key",
    files: doc(APP, APP_BODY.replace("  go:", "\tgo:")),
    expect: { code: "yaml/tab-as-indent", ...at(APP, 7, 1) },
  },
  {
    name: "yaml/tab-as-indent: a tab after spaces",
    files: doc(APP, APP_BODY.replace("    packagePath", "  \tpackagePath")),
    expect: { code: "yaml/tab-as-indent", ...at(APP, 8, 3) },
  },
  {
    name: "yaml/too-large: a descriptor over 1 MiB",
    files: doc(APP, APP_BODY + "#" + "x".repeat(1024 * 1024) + "\n"),
    expect: { code: "yaml/too-large", ...wholeFile(APP) },
  },
  {
    name: "yaml/invalid-utf8: a Latin-1 byte in a description",
    files: {
      [APP]: concat(
        utf8(header(APP, APP_BODY) + "kind: application\ndescription: Caf"),
        new Uint8Array([0xe9]),
        utf8("\npname: demo\nbuild:\n  go:\n    packagePath: github.com/example/demo\n"),
      ),
    },
    expect: { code: "yaml/invalid-utf8", ...at(APP, 3, 17) },
  },
  {
    name: "yaml/invalid-utf8: a truncated multi-byte sequence",
    files: { [APP]: concat(utf8(header(APP, APP_BODY) + APP_BODY), new Uint8Array([0xe2, 0x82])) },
    expect: { code: "yaml/invalid-utf8", ...at(APP, 9, 1) },
  },
  {
    name: "yaml/nul-byte: a NUL inside a value",
    files: doc(APP, APP_BODY.replace("Demo application", "Demo\0application")),
    expect: { code: "yaml/nul-byte", ...at(APP, 3, 18) },
  },
  {
    name: "yaml/duplicate-key: CRLF line endings keep lines and columns",
    files: {
      [APP]: crlf(header(APP, APP_BODY) + APP_BODY + "meta: { license: mit, license: asl20 }\n"),
    },
    expect: { code: "yaml/duplicate-key", ...at(APP, 9, 23) },
  },
];

// ---------------------------------------------------------------------------------------------
// schema/modeline: the first line names the schema of the descriptor's kind

const modelineCases: Case[] = [
  {
    name: "schema/modeline: no schema line",
    files: { [TOOL]: TOOL_BODY },
    expect: { code: "schema/modeline", ...at(TOOL, 1, 1), hint: "../../schemas/tool.schema.json" },
  },
  {
    name: "schema/modeline: the schema of another kind",
    files: { [TOOL]: header(TOOL, APP_BODY) + TOOL_BODY },
    expect: { code: "schema/modeline", ...at(TOOL, 1, 1), message: "tool.schema.json" },
  },
  {
    name: "schema/modeline: the schema line below another comment",
    files: {
      [IMG]:
        "# Demo image\n" +
        header(IMG, "kind: dockerImage") +
        "kind: dockerImage\nimageName: test/demo\nconfig:\n  cmd: [run]\n",
    },
    expect: { code: "schema/modeline", ...at(IMG, 1, 1) },
  },
];

// ---------------------------------------------------------------------------------------------
// schema/type: a value of the wrong type, in every kind

const typeCases: Case[] = [
  {
    name: "schema/type: the document is a list",
    files: doc(APP, "- kind: application\n- pname: demo\n"),
    expect: { code: "schema/type", ...top(APP), message: "a mapping with a kind" },
  },
  {
    name: "schema/type: the document is a plain string",
    files: doc(APP, "application\n"),
    expect: { code: "schema/type", ...top(APP) },
  },
  {
    name: "schema/type: application description left empty (null)",
    files: doc(APP, APP_BODY.replace("description: Demo application", "description:")),
    expect: { code: "schema/type", ...at(APP, 3, 13), field: "description", message: "found null" },
  },
  {
    name: "schema/type: application pname is a number",
    files: doc(APP, APP_BODY.replace("pname: demo", "pname: 42")),
    expect: { code: "schema/type", ...at(APP, 4, 8), field: "pname", message: "found number 42" },
  },
  {
    name: "schema/type: application build.go is a string",
    files: appBuild("go: github.com/example/demo\n"),
    expect: { code: "schema/type", ...at(APP, 6, 9), field: "build.go" },
  },
  {
    name: "schema/type: tool script is a string",
    files: doc(TOOL, "kind: tool\ndescription: Demo tool\nscript: echo demo\n"),
    expect: { code: "schema/type", ...at(TOOL, 4, 9), field: "script" },
  },
  {
    name: "schema/type: test arguments is a list",
    files: test(TEST_BODY + "arguments:\n  - \${{ locksmith }}\n"),
    expect: { code: "schema/type", ...at(TEST, 6, 3), field: "arguments" },
  },
  {
    name: "schema/type: pins nixpkgs is a string",
    files: doc(
      PINS,
      "kind: pins\nnixpkgs: NixOS/nixpkgs\n" + PINS_BODY.slice(PINS_BODY.indexOf("contrail:")),
    ),
    expect: { code: "schema/type", ...at(PINS, 3, 10), field: "nixpkgs" },
  },
  {
    name: "schema/type: hydraProject keepnr is a string",
    files: ci("    keepnr: three\n"),
    expect: { code: "schema/type", ...at(CI, 13, 13), field: "jobsets.trunk.keepnr" },
  },
  {
    name: "schema/type: pulledImage imageTag written as a number",
    files: doc(PULLED, PULLED_BODY.replace('imageTag: "1.0"', "imageTag: 16.04")),
    expect: { code: "schema/type", ...at(PULLED, 4, 11), message: "found number 16.04" },
  },
  {
    name: "schema/type: dockerImage services is a mapping",
    files: doc(
      IMG,
      "kind: dockerImage\nimageName: test/demo\nservices:\n  name: web\n  command: run\n",
    ),
    expect: { code: "schema/type", ...at(IMG, 5, 3), field: "services" },
  },
  {
    name: "schema/type: hydraProject jobsets is a list",
    files: doc(CI, CI_BODY.replace(/jobsets:[\s\S]*/, "jobsets:\n  - trunk\n")),
    expect: { code: "schema/type", ...at(CI, 11, 3), field: "jobsets" },
  },
  {
    name: "schema/type: hydra boolean input written as a string",
    files: ci("    inputs:\n      publish:\n        boolean: 'true'\n"),
    expect: {
      code: "schema/type",
      ...at(CI, 15, 18),
      field: "jobsets.trunk.inputs.publish.boolean",
    },
  },
  {
    name: "schema/type: pins rev written as a number",
    files: doc(
      PINS,
      PINS_BODY.replace("rev: 856e0d3f7e58d5c51aae86bc3a12732b3c33baf4", "rev: 856"),
    ),
    expect: { code: "schema/type", ...at(PINS, 13, 8), field: "contrail.rev" },
  },
  {
    name: "schema/type: service oneShot is a string",
    files: image("- name: web\n  command: run\n  oneShot: sometimes\n"),
    expect: { code: "schema/type", ...at(IMG, 8, 14), field: "services[0].oneShot" },
  },
  {
    name: "schema/type: debianPackage version written as a number",
    files: doc(DEB, DEB_BODY.replace('version: "1.0"', "version: 1.0")),
    expect: { code: "schema/type", ...at(DEB, 5, 10), field: "version" },
  },
  {
    name: "schema/type: contrailPackageSet expose is a string",
    files: doc(SET, "kind: contrailPackageSet\nupstream:\n  version: contrail32\nexpose: api\n"),
    expect: { code: "schema/type", ...at(SET, 5, 9), field: "expose" },
  },
  {
    name: "schema/type: fragment value is a list",
    files: doc(
      frag("fragments.demo"),
      "kind: fragment\ndescription: Demo\nfragmentOf: service\nvalue:\n  - user: root\n",
    ),
    expect: { code: "schema/type", ...at(frag("fragments.demo"), 6, 3), field: "value" },
  },
  {
    name: "schema/type: ini key value is a list",
    files: configFile(y`
      - destination: /etc/web.ini
        ini:
          sections:
            DEFAULT:
              keys:
                hosts: [a, b]
    `),
    expect: {
      code: "schema/type",
      ...at(IMG, 13, 24),
      field: "services[0].configFiles[0].ini.sections.DEFAULT.keys.hosts",
    },
  },
];

// ---------------------------------------------------------------------------------------------
// schema/missing-key: every required field of every kind

const missingTop = (
  name: string,
  file: string,
  body: string,
  key: string,
  extra: Files = {},
): Case => ({
  name: `schema/missing-key: ${name} without ${key}`,
  files: { ...extra, ...doc(file, omit(body, key)) },
  expect: { code: "schema/missing-key", ...top(file), message: `"${key}"` },
});

const missingCases: Case[] = [
  missingTop("application", APP, APP_BODY, "description"),
  missingTop("application", APP, APP_BODY, "pname"),
  missingTop("application", APP, APP_BODY, "build"),
  missingTop("tool", TOOL, TOOL_BODY, "description"),
  missingTop("test", TEST, TEST_BODY, "description", { [TEST_NIX]: NIX_OK }),
  missingTop("test", TEST, TEST_BODY, "nixFile"),
  missingTop("pins", PINS, PINS_BODY, "nixpkgs"),
  missingTop("pins", PINS, PINS_BODY, "contrail"),
  missingTop("hydraProject", CI, CI_BODY, "project"),
  missingTop("hydraProject", CI, CI_BODY, "displayName"),
  missingTop("hydraProject", CI, CI_BODY, "repository"),
  missingTop("hydraProject", CI, CI_BODY, "nixpkgs"),
  missingTop("hydraProject", CI, CI_BODY, "jobsets"),
  missingTop("pulledImage", PULLED, PULLED_BODY, "imageName"),
  missingTop("pulledImage", PULLED, PULLED_BODY, "imageTag"),
  missingTop("pulledImage", PULLED, PULLED_BODY, "sha256"),
  missingTop(
    "dockerImage",
    IMG,
    "kind: dockerImage\nimageName: test/demo\nconfig:\n  cmd: [run]\n",
    "imageName",
  ),
  missingTop("debianPackage", DEB, DEB_BODY, "description"),
  missingTop("debianPackage", DEB, DEB_BODY, "packageName"),
  missingTop("debianPackage", DEB, DEB_BODY, "version"),
  missingTop("contrailPackageSet", SET, SET_BODY, "upstream"),
  missingTop("contrailPackageSet", SET, SET_BODY, "expose"),
  ...["description", "fragmentOf", "value"].map((key) =>
    missingTop(
      "fragment",
      frag("fragments.demo"),
      "kind: fragment\ndescription: Demo\nfragmentOf: service\nvalue:\n  user: root\n",
      key,
    ),
  ),
  {
    name: "schema/missing-key: pins nixpkgs without branch",
    files: doc(PINS, PINS_BODY.replace("  branch: release-18.03\n", "")),
    expect: {
      code: "schema/missing-key",
      ...at(PINS, 3, 1),
      field: "nixpkgs",
      message: '"branch"',
    },
  },
  {
    name: "schema/missing-key: pins contrail without sha256",
    files: doc(PINS, PINS_BODY.replace(/ {2}sha256: 15q.*\n/, "")),
    expect: {
      code: "schema/missing-key",
      ...at(PINS, 9, 1),
      field: "contrail",
      message: '"sha256"',
    },
  },
  {
    name: "schema/missing-key: go build without packagePath",
    files: goApp("ldflags: [-s]\n"),
    expect: {
      code: "schema/missing-key",
      ...at(APP, 6, 3),
      field: "build.go",
      message: '"packagePath"',
    },
  },
  {
    name: "schema/missing-key: github source without rev",
    files: doc(
      APP,
      APP_BODY + `source:\n  github:\n    owner: example\n    repo: demo\n    sha256: ${SHA}\n`,
    ),
    expect: {
      code: "schema/missing-key",
      ...at(APP, 10, 3),
      field: "source.github",
      message: '"rev"',
    },
  },
  {
    name: "schema/missing-key: bundler gem without sha256",
    files: appBuild(y`
      bundler:
        gemfile: source "https://rubygems.org"
        gems:
          - name: fluentd
            version: 1.2.3
    `),
    expect: {
      code: "schema/missing-key",
      ...at(APP, 9, 11),
      field: "build.bundler.gems[0]",
      message: '"sha256"',
    },
  },
  {
    name: "schema/missing-key: python build without main",
    files: appBuild(y`
      python:
        packages:
          - { name: six, version: 1.11.0, url: "https://example.org/six.tar.gz", sha256: ${SHA} }
    `),
    expect: {
      code: "schema/missing-key",
      ...at(APP, 6, 5),
      field: "build.python",
      message: '"main"',
    },
  },
  {
    name: "schema/missing-key: service without name",
    files: image("- command: run\n"),
    expect: {
      code: "schema/missing-key",
      ...at(IMG, 6, 5),
      field: "services[0]",
      message: '"name"',
    },
  },
  {
    name: "schema/missing-key: config file without destination",
    files: configFile("- template: hello\n"),
    expect: {
      code: "schema/missing-key",
      ...at(IMG, 8, 9),
      field: "services[0].configFiles[0]",
      message: '"destination"',
    },
  },
  {
    name: "schema/missing-key: fluentd without source",
    files: image("- name: web\n  command: run\n  fluentd:\n    filters: [{ type: stdout }]\n"),
    expect: {
      code: "schema/missing-key",
      ...at(IMG, 8, 5),
      field: "services[0].fluentd",
      message: '"source"',
    },
  },
  {
    name: "schema/missing-key: fluentd source without type",
    files: image("- name: web\n  command: run\n  fluentd:\n    source:\n      tag: web\n"),
    expect: {
      code: "schema/missing-key",
      ...at(IMG, 9, 7),
      field: "services[0].fluentd.source",
      message: '"type"',
    },
  },
  {
    name: "schema/missing-key: tool script without text",
    files: script("program: demo\n"),
    expect: { code: "schema/missing-key", ...at(TOOL, 4, 1), field: "script", message: '"text"' },
  },
  {
    name: "schema/missing-key: tool script without program",
    files: script("text: echo demo\n"),
    expect: {
      code: "schema/missing-key",
      ...at(TOOL, 4, 1),
      field: "script",
      message: '"program"',
    },
  },
  {
    name: "schema/missing-key: ubuntuVm without debianPackages",
    files: doc(TOOL, "kind: tool\ndescription: Demo tool\nubuntuVm: {}\n"),
    expect: {
      code: "schema/missing-key",
      ...at(TOOL, 4, 1),
      field: "ubuntuVm",
      message: '"debianPackages"',
    },
  },
  {
    name: "schema/missing-key: hydra jobset without description",
    files: doc(CI, CI_BODY.replace("description: Build master", "branch: master")),
    expect: {
      code: "schema/missing-key",
      ...at(CI, 11, 3),
      field: "jobsets.trunk",
      message: '"description"',
    },
  },
  {
    name: "schema/missing-key: hydra nixpkgs without rev",
    files: doc(CI, CI_BODY.replace(/ {2}rev: .*\n/, "")),
    expect: { code: "schema/missing-key", ...at(CI, 7, 1), field: "nixpkgs", message: '"rev"' },
  },
  {
    name: "schema/missing-key: hydra pullRequests without repo",
    files: ci("pullRequests:\n  owner: nlewo\n"),
    expect: {
      code: "schema/missing-key",
      ...at(CI, 13, 1),
      field: "pullRequests",
      message: '"repo"',
    },
  },
  {
    name: "schema/missing-key: debian file without text",
    files: doc(DEB, DEB_BODY + "files:\n  - path: etc/demo.conf\n"),
    expect: { code: "schema/missing-key", ...at(DEB, 7, 5), field: "files[0]", message: '"text"' },
  },
  {
    name: "schema/missing-key: contrail upstream without version",
    files: doc(SET, SET_BODY.replace("  version: contrail32", "  entry: all-packages.nix")),
    expect: {
      code: "schema/missing-key",
      ...at(SET, 3, 1),
      field: "upstream",
      message: '"version"',
    },
  },
  {
    name: "schema/missing-key: fragment parameter without description",
    files: fragment("fragments.demo", "service", "user: root\n", "who:\n  example: web\n"),
    expect: {
      code: "schema/missing-key",
      ...at(frag("fragments.demo"), 6, 3),
      field: "parameters.who",
      message: '"description"',
    },
  },
];

// ---------------------------------------------------------------------------------------------
// schema/unknown-key and schema/unknown-kind

const unknownKeyCases: Case[] = [
  {
    name: "schema/unknown-key: application top level",
    files: doc(APP, APP_BODY + "descripton: again\n"),
    expect: {
      code: "schema/unknown-key",
      ...at(APP, 9, 1),
      field: "descripton",
      hint: 'did you mean "description"?',
    },
  },
  {
    name: "schema/unknown-key: application top level, no suggestion",
    files: doc(APP, APP_BODY + "homepage: https://example.org\n"),
    expect: { code: "schema/unknown-key", ...at(APP, 9, 1), field: "homepage" },
  },
  {
    name: "schema/unknown-key: tool top level",
    files: doc(TOOL, TOOL_BODY + "scirpt: {}\n"),
    expect: {
      code: "schema/unknown-key",
      ...at(TOOL, 7, 1),
      field: "scirpt",
      hint: 'did you mean "script"?',
    },
  },
  {
    name: "schema/unknown-key: test top level",
    files: test(TEST_BODY + "nixfile: ./demo.nix\n"),
    expect: {
      code: "schema/unknown-key",
      ...at(TEST, 5, 1),
      field: "nixfile",
      hint: 'did you mean "nixFile"?',
    },
  },
  {
    name: "schema/unknown-key: pins top level",
    files: doc(PINS, PINS_BODY + "nixpkg: {}\n"),
    expect: {
      code: "schema/unknown-key",
      ...at(PINS, 15, 1),
      field: "nixpkg",
      hint: 'did you mean "nixpkgs"?',
    },
  },
  {
    name: "schema/unknown-key: hydraProject top level",
    files: doc(CI, CI_BODY + "displayname: Demo\n"),
    expect: {
      code: "schema/unknown-key",
      ...at(CI, 13, 1),
      field: "displayname",
      hint: 'did you mean "displayName"?',
    },
  },
  {
    name: "schema/unknown-key: pulledImage top level",
    files: doc(PULLED, PULLED_BODY + "imagetag: latest\n"),
    expect: {
      code: "schema/unknown-key",
      ...at(PULLED, 6, 1),
      field: "imagetag",
      hint: 'did you mean "imageTag"?',
    },
  },
  {
    name: "schema/unknown-key: dockerImage top level",
    files: doc(IMG, "kind: dockerImage\nimageName: test/demo\nservces: []\n"),
    expect: {
      code: "schema/unknown-key",
      ...at(IMG, 4, 1),
      field: "servces",
      hint: 'did you mean "services"?',
    },
  },
  {
    name: "schema/unknown-key: debianPackage top level",
    files: doc(DEB, DEB_BODY + "packagename: demo\n"),
    expect: {
      code: "schema/unknown-key",
      ...at(DEB, 6, 1),
      field: "packagename",
      hint: 'did you mean "packageName"?',
    },
  },
  {
    name: "schema/unknown-key: contrailPackageSet top level",
    files: doc(SET, SET_BODY + "exposed: [api]\n"),
    expect: {
      code: "schema/unknown-key",
      ...at(SET, 7, 1),
      field: "exposed",
      hint: 'did you mean "expose"?',
    },
  },
  {
    name: "schema/unknown-key: fragment top level",
    files: doc(
      frag("fragments.demo"),
      "kind: fragment\ndescription: Demo\nfragmentOf: service\nvalue: {}\nparametres: {}\n",
    ),
    expect: {
      code: "schema/unknown-key",
      ...at(frag("fragments.demo"), 6, 1),
      field: "parametres",
      hint: 'did you mean "parameters"?',
    },
  },
  {
    name: "schema/unknown-key: service key",
    files: doc(
      IMG,
      "kind: dockerImage\nimageName: test/demo\nservices:\n  - name: web\n    comand: run\n",
    ),
    expect: {
      code: "schema/unknown-key",
      ...at(IMG, 6, 5),
      field: "services[0].comand",
      hint: 'did you mean "command"?',
    },
  },
  {
    name: "schema/unknown-key: go build key",
    files: doc(APP, APP_BODY + "    ldflag: [-s]\n"),
    expect: {
      code: "schema/unknown-key",
      ...at(APP, 9, 5),
      field: "build.go.ldflag",
      hint: 'did you mean "ldflags"?',
    },
  },
  {
    name: "schema/unknown-key: source github key",
    files: doc(
      APP,
      APP_BODY +
        `source:\n  github: { owner: example, repo: demo, rev: v1, sha256: ${SHA}, branche: main }\n`,
    ),
    expect: {
      code: "schema/unknown-key",
      ...at(APP, 10, 112),
      field: "source.github.branche",
      hint: 'did you mean "branch"?',
    },
  },
  {
    name: "schema/unknown-key: config file key",
    files: doc(
      IMG,
      "kind: dockerImage\nimageName: test/demo\nservices:\n  - name: web\n    configFiles:\n      - destination: /etc/web.conf\n        templat: hello\n",
    ),
    expect: {
      code: "schema/unknown-key",
      ...at(IMG, 8, 9),
      field: "services[0].configFiles[0].templat",
      hint: 'did you mean "template"?',
    },
  },
  {
    name: "schema/unknown-key: hydra jobset key",
    files: doc(CI, CI_BODY + "    inptus: {}\n"),
    expect: {
      code: "schema/unknown-key",
      ...at(CI, 13, 5),
      field: "jobsets.trunk.inptus",
      hint: 'did you mean "inputs"?',
    },
  },
  {
    name: "schema/unknown-key: a YAML merge key, which YAML 1.2 does not have",
    files: doc(APP, APP_BODY + "<<: { version: 2.0.0 }\n"),
    expect: { code: "schema/unknown-key", ...at(APP, 9, 1), field: "<<" },
  },
  {
    name: "schema/unknown-key: image config key",
    files: doc(
      IMG,
      "kind: dockerImage\nimageName: test/demo\nconfig:\n  cmd: [run]\n  volume: [/data]\n",
    ),
    expect: {
      code: "schema/unknown-key",
      ...at(IMG, 6, 3),
      field: "config.volume",
      hint: 'did you mean "volumes"?',
    },
  },
];

const unknownKindCases: Case[] = [
  {
    name: "schema/unknown-kind: a misspelt kind, with a suggestion",
    files: doc(APP, APP_BODY.replace("kind: application", "kind: aplication")),
    expect: {
      code: "schema/unknown-kind",
      ...at(APP, 2, 7),
      field: "kind",
      hint: 'did you mean "application"?',
    },
  },
  {
    name: "schema/unknown-kind: a kind with the wrong case",
    files: doc(TOOL, TOOL_BODY.replace("kind: tool", "kind: Tool")),
    expect: { code: "schema/unknown-kind", ...at(TOOL, 2, 7), hint: 'did you mean "tool"?' },
  },
  {
    name: "schema/unknown-kind: no kind at all",
    files: doc(APP, omit(APP_BODY, "kind")),
    expect: { code: "schema/unknown-kind", ...top(APP), hint: "kind: application" },
  },
  {
    name: "schema/unknown-kind: a misspelt kind in a fragment file",
    files: doc(
      frag("fragments.demo"),
      "kind: fragmnet\ndescription: Demo\nfragmentOf: service\nvalue: {}\n",
    ),
    expect: {
      code: "schema/unknown-kind",
      ...at(frag("fragments.demo"), 2, 7),
      hint: '"fragment"',
    },
  },
  {
    name: "schema/unknown-kind: a kind given as a list",
    files: doc(APP, APP_BODY.replace("kind: application", "kind: [application]")),
    expect: { code: "schema/unknown-kind", ...at(APP, 2, 7), message: '["application"]' },
  },
  {
    name: "schema/unknown-kind: a kind that is not a string",
    files: doc(APP, APP_BODY.replace("kind: application", "kind: 3")),
    expect: { code: "schema/unknown-kind", ...at(APP, 2, 7) },
  },
];

// ---------------------------------------------------------------------------------------------
// schema/enum, schema/const, schema/pattern

const enumCases: Case[] = [
  {
    name: "schema/enum: go version",
    files: goApp("packagePath: github.com/example/demo\ngoVersion: '1.11'\n"),
    expect: { code: "schema/enum", ...at(APP, 8, 18), field: "build.go.goVersion" },
  },
  {
    name: "schema/enum: service user, with a suggestion",
    files: image("- name: web\n  command: run\n  user: nobdy\n"),
    expect: {
      code: "schema/enum",
      ...at(IMG, 8, 11),
      field: "services[0].user",
      hint: 'did you mean "nobody"?',
    },
  },
  {
    name: "schema/enum: image builder",
    files: image("- name: web\n  command: run\n", "builder: buildLayeredImage\n"),
    expect: { code: "schema/enum", ...at(IMG, 8, 10), field: "builder" },
  },
  {
    name: "schema/enum: stdenv phase",
    files: appBuild("stdenv:\n  phases: [unpackPhase, installPhse]\n"),
    expect: {
      code: "schema/enum",
      ...at(APP, 7, 29),
      field: "build.stdenv.phases[1]",
      hint: "installPhase",
    },
  },
  {
    name: "schema/enum: fragmentOf",
    files: doc(
      frag("fragments.demo"),
      "kind: fragment\ndescription: Demo\nfragmentOf: services\nvalue: {}\n",
    ),
    expect: {
      code: "schema/enum",
      ...at(frag("fragments.demo"), 4, 13),
      field: "fragmentOf",
      hint: 'did you mean "service"?',
    },
  },
  {
    name: "schema/enum: consul-template flag",
    files: image("- name: web\n  command: run\n  consulTemplateFlags: [--no-lok]\n"),
    expect: { code: "schema/enum", ...at(IMG, 8, 27), field: "services[0].consulTemplateFlags[0]" },
  },
  {
    name: "schema/enum: renderConfigFiles",
    files: image("- name: web\n  command: run\n  renderConfigFiles: afterStart\n"),
    expect: { code: "schema/enum", ...at(IMG, 8, 24), field: "services[0].renderConfigFiles" },
  },
  {
    name: "schema/enum: templateFlagForm",
    files: image("- name: web\n  command: run\n  templateFlagForm: equal\n"),
    expect: { code: "schema/enum", ...at(IMG, 8, 23), field: "services[0].templateFlagForm" },
  },
  {
    name: "schema/pattern: consulTemplateWrapper with arguments",
    files: image(
      "- name: web\n  command: run\n  consulTemplateWrapper: consul-template-wrapper --no-lock\n",
    ),
    expect: {
      code: "schema/pattern",
      ...at(IMG, 8, 28),
      field: "services[0].consulTemplateWrapper",
    },
  },
];

const constCases: Case[] = [
  {
    name: "schema/const: an application fragment that sets another kind",
    files: fragment("fragments.demo", "application", "kind: tool\n"),
    expect: { code: "schema/const", ...at(frag("fragments.demo"), 6, 9), field: "value.kind" },
  },
  {
    name: "schema/const: a docker image fragment that sets kind application",
    files: fragment(
      "fragments.base",
      "dockerImage",
      "kind: application\nextraCommands: mkdir tmp\n",
    ),
    expect: { code: "schema/const", ...at(frag("fragments.base"), 6, 9), message: '"dockerImage"' },
  },
];

const patternCases: Case[] = [
  {
    name: "schema/pattern: source sha256 too short",
    files: doc(
      APP,
      APP_BODY + `source:\n  url: { url: "https://example.org/demo.tar.gz", sha256: abc123 }\n`,
    ),
    expect: { code: "schema/pattern", ...at(APP, 10, 58), field: "source.url.sha256" },
  },
  {
    name: "schema/pattern: pins sha256 with an upper-case letter",
    files: doc(PINS, PINS_BODY.replace("0fmvh1", "0FMVH1")),
    expect: { code: "schema/pattern", ...at(PINS, 8, 11), field: "nixpkgs.sha256" },
  },
  {
    name: "schema/pattern: pulledImage sha256 in base16 of the wrong length",
    files: doc(PULLED, PULLED_BODY.replace(SHA, "deadbeef")),
    expect: { code: "schema/pattern", ...at(PULLED, 5, 9), field: "sha256" },
  },
  {
    name: "schema/pattern: pulledImage digest without its algorithm",
    files: doc(PULLED, PULLED_BODY + "digest: " + "a".repeat(64) + "\n"),
    expect: { code: "schema/pattern", ...at(PULLED, 6, 9), field: "digest" },
  },
  {
    name: "schema/missing-key: pulledImage digest without the hash of the digest pull",
    files: doc(PULLED, PULLED_BODY + "digest: sha256:" + "a".repeat(64) + "\n"),
    expect: { code: "schema/missing-key", ...top(PULLED), message: '"digestSha256"' },
  },
  {
    name: "schema/pattern: pulledImage name with capitals",
    files: doc(PULLED, PULLED_BODY.replace("docker.io/library/demo", "Docker.io/Demo")),
    expect: { code: "schema/pattern", ...at(PULLED, 3, 12), field: "imageName" },
  },
  {
    name: "schema/pattern: pulledImage tag starting with a dash",
    files: doc(PULLED, PULLED_BODY.replace('"1.0"', "-latest")),
    expect: { code: "schema/pattern", ...at(PULLED, 4, 11), field: "imageTag" },
  },
  {
    name: "schema/pattern: dockerImage name with capitals",
    files: doc(IMG, "kind: dockerImage\nimageName: Test/Demo\nconfig:\n  cmd: [run]\n"),
    expect: { code: "schema/pattern", ...at(IMG, 3, 12), field: "imageName" },
  },
  {
    name: "schema/pattern: service name with a capital",
    files: image("- name: Web\n  command: run\n"),
    expect: { code: "schema/pattern", ...at(IMG, 6, 11), field: "services[0].name" },
  },
  {
    name: "schema/pattern: config file destination that is relative",
    files: configFile("- destination: etc/web.conf\n  template: hello\n"),
    expect: {
      code: "schema/pattern",
      ...at(IMG, 8, 22),
      field: "services[0].configFiles[0].destination",
    },
  },
  {
    name: "schema/pattern: environmentFile that is relative",
    files: image("- name: web\n  command: run\n  environmentFile: run/web.env\n"),
    expect: { code: "schema/pattern", ...at(IMG, 8, 22), field: "services[0].environmentFile" },
  },
  {
    name: "schema/pattern: image workingDir with a parent step",
    files: doc(
      IMG,
      "kind: dockerImage\nimageName: test/demo\nconfig:\n  cmd: [run]\n  workingDir: ../tmp\n",
    ),
    expect: { code: "schema/pattern", ...at(IMG, 6, 15), field: "config.workingDir" },
  },
  {
    name: "schema/pattern: exposed port without protocol",
    files: doc(
      IMG,
      "kind: dockerImage\nimageName: test/demo\nconfig:\n  cmd: [run]\n  exposedPorts: ['8080']\n",
    ),
    expect: { code: "schema/pattern", ...at(IMG, 6, 18), field: "config.exposedPorts[0]" },
  },
  {
    name: "schema/pattern: debian file path that is absolute",
    files: doc(DEB, DEB_BODY + "files:\n  - path: /etc/demo.conf\n    text: x\n"),
    expect: { code: "schema/pattern", ...at(DEB, 7, 11), field: "files[0].path" },
  },
  {
    name: "schema/pattern: debian file path that climbs out",
    files: doc(DEB, DEB_BODY + "files:\n  - path: ../demo.conf\n    text: x\n"),
    expect: { code: "schema/pattern", ...at(DEB, 7, 11), field: "files[0].path" },
  },
  {
    name: "schema/pattern: debian packageName with capitals",
    files: doc(DEB, DEB_BODY.replace("packageName: demo", "packageName: Demo")),
    expect: { code: "schema/pattern", ...at(DEB, 4, 14), field: "packageName" },
  },
  {
    name: "schema/pattern: debian version starting with a letter",
    files: doc(DEB, DEB_BODY.replace('"1.0"', "v1.0")),
    expect: { code: "schema/pattern", ...at(DEB, 5, 10), field: "version" },
  },
  {
    name: "schema/pattern: test nixFile without ./",
    files: test(TEST_BODY.replace("./demo.nix", "demo.nix")),
    expect: { code: "schema/pattern", ...at(TEST, 4, 10), field: "nixFile" },
  },
  {
    name: "schema/pattern: test nixFile in a parent folder",
    files: test(TEST_BODY.replace("./demo.nix", "../demo.nix")),
    expect: { code: "schema/pattern", ...at(TEST, 4, 10), field: "nixFile" },
  },
  {
    name: "schema/pattern: hydra repository URL without scheme",
    files: doc(CI, CI_BODY.replace("https://github.com/example/demo", "github.com/example/demo")),
    expect: { code: "schema/pattern", ...at(CI, 6, 8), field: "repository.url" },
  },
  {
    name: "schema/pattern: hydra project name with capitals",
    files: doc(CI, CI_BODY.replace("project: demo", "project: Demo")),
    expect: { code: "schema/pattern", ...at(CI, 3, 10), field: "project" },
  },
  {
    name: "schema/pattern: hydra git input without a branch",
    files: ci(
      "    inputs:\n      contrail:\n        git: https://github.com/nlewo/nixpkgs-contrail\n",
    ),
    expect: {
      code: "schema/pattern",
      ...at(CI, 15, 14),
      field: "jobsets.trunk.inputs.contrail.git",
    },
  },
  {
    name: "schema/pattern: go dependency URL without scheme",
    files: goApp(
      `packagePath: github.com/example/demo\ndeps:\n  - { packagePath: golang.org/x/sys, url: go.googlesource.com/sys, rev: abc, sha256: ${SHA} }\n`,
    ),
    expect: { code: "schema/pattern", ...at(APP, 9, 49), field: "build.go.deps[0].url" },
  },
  {
    name: "schema/pattern: go packagePath without a slash",
    files: goApp("packagePath: demo\n"),
    expect: { code: "schema/pattern", ...at(APP, 7, 20), field: "build.go.packagePath" },
  },
  {
    name: "schema/pattern: meta homepage without scheme",
    files: doc(APP, APP_BODY + "meta:\n  homepage: example.org\n"),
    expect: { code: "schema/pattern", ...at(APP, 10, 13), field: "meta.homepage" },
  },
  {
    name: "schema/pattern: python package URL on ftp",
    files: appBuild(
      `python:\n  main: six\n  packages:\n    - { name: six, version: 1.11.0, url: "ftp://example.org/six.tgz", sha256: ${SHA} }\n`,
    ),
    expect: { code: "schema/pattern", ...at(APP, 9, 46), field: "build.python.packages[0].url" },
  },
  {
    name: "schema/pattern: reference list item without braces",
    files: goApp("packagePath: github.com/example/demo\nbuildInputs: [pkgs.gzip]\n"),
    expect: { code: "schema/pattern", ...at(APP, 8, 21), field: "build.go.buildInputs[0]" },
  },
  {
    name: "schema/pattern: fromImage that is not a reference",
    files: image(
      "- name: web\n  command: run\n",
      "fromImage: dockerImages.pulled.kubernetesBaseImage\n",
    ),
    expect: { code: "schema/pattern", ...at(IMG, 8, 12), field: "fromImage" },
  },
  {
    name: "schema/pattern: tool program with a slash",
    files: script("program: bin/demo\ntext: echo demo\n"),
    expect: { code: "schema/pattern", ...at(TOOL, 5, 14), field: "script.program" },
  },
  {
    name: "schema/pattern: contrail expose with a dash",
    files: doc(SET, SET_BODY.replace("- api", "- vrouter-agent")),
    expect: { code: "schema/pattern", ...at(SET, 6, 5), field: "expose[0]" },
  },
];

// ---------------------------------------------------------------------------------------------
// schema/one-of, duplicate-item, too-few, too-short, range, key-pattern

const oneOfCases: Case[] = [
  {
    name: "schema/one-of: a source pinned two ways",
    files: doc(
      APP,
      APP_BODY +
        `source:\n  url: { url: "https://example.org/demo.tar.gz", sha256: ${SHA} }\n  git: { url: "https://example.org/demo.git", rev: v1, sha256: ${SHA} }\n`,
    ),
    expect: { code: "schema/one-of", ...at(APP, 10, 3), field: "source", message: "url and git" },
  },
  {
    name: "schema/one-of: a build with no builder",
    files: doc(APP, APP_BODY.replace(/build:[\s\S]*/, "build: {}\n")),
    expect: { code: "schema/one-of", ...at(APP, 6, 8), field: "build", message: "found none" },
  },
  {
    name: "schema/one-of: a build with two builders",
    files: appBuild("go:\n  packagePath: github.com/example/demo\nstdenv: {}\n"),
    expect: { code: "schema/one-of", ...at(APP, 6, 5), field: "build", message: "go and stdenv" },
  },
  {
    name: "schema/one-of: a tool with both script and ubuntuVm",
    files: doc(
      TOOL,
      TOOL_BODY + "ubuntuVm:\n  debianPackages:\n    - \${{ debianPackages.demo }}\n",
    ),
    expect: {
      code: "schema/one-of",
      ...at(TOOL, 8, 3),
      field: "ubuntuVm",
      message: "script and ubuntuVm",
    },
  },
  {
    name: "schema/one-of: a tool with neither script, ubuntuVm nor nixFile",
    files: doc(TOOL, "kind: tool\ndescription: Demo tool\n"),
    expect: { code: "schema/one-of", ...top(TOOL), message: "found none" },
  },
  {
    name: "schema/one-of: a tool with both script and nixFile",
    files: doc(TOOL, TOOL_BODY + "nixFile: ./demo.nix\n"),
    expect: {
      code: "schema/one-of",
      ...at(TOOL, 7, 10),
      field: "nixFile",
      message: "script and nixFile",
    },
  },
  {
    name: "schema/missing-key: a tool's arguments without its nixFile",
    files: doc(TOOL, TOOL_BODY + "arguments:\n  app: ${{ locksmith }}\n"),
    expect: {
      code: "schema/missing-key",
      ...top(TOOL),
      message: '"nixFile", which goes with "arguments"',
    },
  },
  {
    name: "schema/one-of: a config file with both template and ini",
    files: configFile(
      "- destination: /etc/web.ini\n  template: hello\n  ini:\n    header: ['; demo']\n",
    ),
    expect: {
      code: "schema/one-of",
      ...at(IMG, 11, 11),
      field: "services[0].configFiles[0].ini",
      message: "template and ini",
    },
  },
  {
    name: "schema/one-of: a config file with neither template nor ini",
    files: configFile("- destination: /etc/web.ini\n"),
    expect: {
      code: "schema/one-of",
      ...at(IMG, 8, 9),
      field: "services[0].configFiles[0]",
      message: "found none",
    },
  },
  {
    name: "schema/one-of: a hydra input with two types",
    files: ci("    inputs:\n      flag: { boolean: true, string: 'yes' }\n"),
    expect: {
      code: "schema/one-of",
      ...at(CI, 14, 13),
      field: "jobsets.trunk.inputs.flag",
      message: "boolean and string",
    },
  },
  {
    name: "schema/one-of: a hydra input with no type",
    files: ci("    inputs:\n      flag: {}\n"),
    expect: {
      code: "schema/one-of",
      ...at(CI, 14, 13),
      field: "jobsets.trunk.inputs.flag",
      message: "found none",
    },
  },
];

const duplicateCases: Case[] = [
  {
    name: "schema/duplicate-item: tool runtime inputs",
    files: script(y`
      program: demo
      text: echo demo
      runtimeInputs:
        - \${{ pkgs.jq }}
        - \${{ pkgs.curl }}
        - \${{ pkgs.jq }}
    `),
    expect: { code: "schema/duplicate-item", ...at(TOOL, 10, 9), field: "script.runtimeInputs[2]" },
  },
  {
    name: "schema/duplicate-item: debian package contents",
    files: doc(DEB, DEB_BODY + "contents:\n  - \${{ locksmith }}\n  - \${{ locksmith }}\n"),
    expect: { code: "schema/duplicate-item", ...at(DEB, 8, 5), field: "contents[1]" },
  },
  {
    name: "schema/duplicate-item: image volumes",
    files: doc(
      IMG,
      "kind: dockerImage\nimageName: test/demo\nconfig:\n  cmd: [run]\n  volumes: [/data, /logs, /data]\n",
    ),
    expect: { code: "schema/duplicate-item", ...at(IMG, 6, 27), field: "config.volumes[2]" },
  },
  {
    name: "schema/duplicate-item: ubuntuVm packages",
    files: {
      ...doc(DEB, DEB_BODY),
      ...doc(
        TOOL,
        "kind: tool\ndescription: Demo tool\nubuntuVm:\n  debianPackages:\n    - \${{ debianPackages.demo }}\n    - \${{ debianPackages.demo }}\n",
      ),
    },
    expect: {
      code: "schema/duplicate-item",
      ...at(TOOL, 7, 7),
      field: "ubuntuVm.debianPackages[1]",
    },
  },
];

const tooFewCases: Case[] = [
  {
    name: "schema/too-few: an image with an empty services list",
    files: doc(IMG, "kind: dockerImage\nimageName: test/demo\nservices: []\n"),
    expect: { code: "schema/too-few", ...at(IMG, 4, 11), field: "services" },
  },
  {
    name: "schema/too-few: contrail expose empty",
    files: doc(SET, SET_BODY.replace("expose:\n  - api\n", "expose: []\n")),
    expect: { code: "schema/too-few", ...at(SET, 5, 9), field: "expose" },
  },
  {
    name: "schema/too-few: ubuntuVm without packages",
    files: doc(TOOL, "kind: tool\ndescription: Demo tool\nubuntuVm:\n  debianPackages: []\n"),
    expect: { code: "schema/too-few", ...at(TOOL, 5, 19), field: "ubuntuVm.debianPackages" },
  },
  {
    name: "schema/too-few: an empty config.cmd",
    files: doc(IMG, "kind: dockerImage\nimageName: test/demo\nconfig:\n  cmd: []\n"),
    expect: { code: "schema/too-few", ...at(IMG, 5, 8), field: "config.cmd" },
  },
  {
    name: "schema/too-few: a bundler build without gems",
    files: appBuild("bundler:\n  gemfile: source 'https://rubygems.org'\n  gems: []\n"),
    expect: { code: "schema/too-few", ...at(APP, 8, 13), field: "build.bundler.gems" },
  },
];

const tooShortCases: Case[] = [
  {
    name: "schema/too-short: an empty description",
    files: doc(DEB, DEB_BODY.replace("Demo package", '""')),
    expect: { code: "schema/too-short", ...at(DEB, 3, 14), field: "description" },
  },
  {
    name: "schema/too-short: an empty service command",
    files: image("- name: web\n  command: ''\n"),
    expect: { code: "schema/too-short", ...at(IMG, 7, 14), field: "services[0].command" },
  },
  {
    name: "schema/too-short: an empty chdir",
    files: image("- name: web\n  command: run\n  chdir: ''\n"),
    expect: { code: "schema/too-short", ...at(IMG, 8, 12), field: "services[0].chdir" },
  },
  {
    name: "schema/too-short: an empty Gemfile",
    files: appBuild(
      `bundler:\n  gemfile: ""\n  gems:\n    - { name: rake, version: 12.3.1, sha256: ${SHA} }\n`,
    ),
    expect: { code: "schema/too-short", ...at(APP, 7, 16), field: "build.bundler.gemfile" },
  },
  {
    name: "schema/too-short: an empty hydra displayName",
    files: doc(CI, CI_BODY.replace("displayName: Demo CI", 'displayName: ""')),
    expect: { code: "schema/too-short", ...at(CI, 4, 14), field: "displayName" },
  },
  {
    name: "schema/too-short: empty extraCommands",
    files: image("- name: web\n  command: run\n", "extraCommands: ''\n"),
    expect: { code: "schema/too-short", ...at(IMG, 8, 16), field: "extraCommands" },
  },
  {
    name: "schema/too-short: an empty pins branch",
    files: doc(PINS, PINS_BODY.replace("branch: master", "branch: ''")),
    expect: { code: "schema/too-short", ...at(PINS, 12, 11), field: "contrail.branch" },
  },
];

const rangeCases: Case[] = [
  {
    name: "schema/range: hydra default checkinterval 0",
    files: ci("defaults:\n  checkinterval: 0\n"),
    expect: { code: "schema/range", ...at(CI, 14, 18), field: "defaults.checkinterval" },
  },
  {
    name: "schema/range: hydra jobset keepnr negative",
    files: ci("    keepnr: -1\n"),
    expect: { code: "schema/range", ...at(CI, 13, 13), field: "jobsets.trunk.keepnr" },
  },
  {
    name: "schema/range: hydra pull requests schedulingshares 0",
    files: ci("pullRequests:\n  owner: nlewo\n  repo: nixpkgs-cloudwatt\n  schedulingshares: 0\n"),
    expect: { code: "schema/range", ...at(CI, 16, 21), field: "pullRequests.schedulingshares" },
  },
];

const keyPatternCases: Case[] = [
  {
    name: "schema/key-pattern: image env variable starting with a digit",
    files: doc(
      IMG,
      "kind: dockerImage\nimageName: test/demo\nconfig:\n  cmd: [run]\n  env:\n    1PATH: /bin\n",
    ),
    expect: { code: "schema/key-pattern", ...at(IMG, 7, 5), field: "config.env.1PATH" },
  },
  {
    name: "schema/key-pattern: test argument with a dash",
    files: test(TEST_BODY + "arguments:\n  demo-image: \${{ dockerImages.locksmithWorker }}\n"),
    expect: { code: "schema/key-pattern", ...at(TEST, 6, 3), field: "arguments.demo-image" },
  },
  {
    name: "schema/key-pattern: ini section with a space",
    files: configFile(
      "- destination: /etc/web.ini\n  ini:\n    sections:\n      my section:\n        keys: { a: 1 }\n",
    ),
    expect: {
      code: "schema/key-pattern",
      ...at(IMG, 11, 13),
      field: "services[0].configFiles[0].ini.sections.my section",
    },
  },
  {
    name: "schema/key-pattern: contrail source override with a capital",
    files: doc(
      SET,
      SET_BODY +
        `sourceOverrides:\n  Controller: { owner: cloudwatt, repo: contrail-controller, rev: v1, sha256: ${SHA} }\n`,
    ),
    expect: { code: "schema/key-pattern", ...at(SET, 8, 3), field: "sourceOverrides.Controller" },
  },
  {
    name: "schema/key-pattern: hydra jobset name starting with a digit",
    files: ci("  2nd:\n    description: Second\n"),
    expect: { code: "schema/key-pattern", ...at(CI, 13, 3), field: "jobsets.2nd" },
  },
  {
    name: "schema/key-pattern: fluentd parameter with capitals",
    files: image(
      "- name: web\n  command: run\n  fluentd:\n    source:\n      type: tail\n      Path: /var/log/web.log\n",
    ),
    expect: {
      code: "schema/key-pattern",
      ...at(IMG, 11, 9),
      field: "services[0].fluentd.source.Path",
    },
  },
  {
    name: "schema/key-pattern: tool file path climbing out",
    files: script("program: demo\ntext: echo demo\nfiles:\n  ../demo.conf: x\n"),
    expect: { code: "schema/key-pattern", ...at(TOOL, 8, 7), field: "script.files.../demo.conf" },
  },
  {
    name: "schema/key-pattern: fragment parameter with a capital",
    files: fragment("fragments.demo", "service", "user: root\n", "Who:\n  description: Who\n"),
    expect: {
      code: "schema/key-pattern",
      ...at(frag("fragments.demo"), 6, 3),
      field: "parameters.Who",
    },
  },
];

// ---------------------------------------------------------------------------------------------
// References

const refCases: Case[] = [
  {
    name: "ref/unknown: a misspelt package, with a suggestion",
    files: image("- name: web\n  command: \${{ locksmit }}/bin/vault-fernet-locksmith\n"),
    expect: {
      code: "ref/unknown",
      ...at(IMG, 7, 14),
      field: "services[0].command",
      hint: "did you mean ${{ locksmith }}?",
    },
  },
  {
    name: "ref/unknown: a package that exists nowhere",
    files: goApp("packagePath: github.com/example/demo\nbuildInputs:\n  - \${{ libfoo }}\n"),
    expect: {
      code: "ref/unknown",
      ...at(APP, 9, 11),
      field: "build.go.buildInputs[0]",
      message: "libfoo",
    },
  },
  {
    name: "ref/unknown: a set of packages instead of a package",
    files: image("- name: web\n  command: run\n", "contents:\n  - \${{ dockerImages.pulled }}\n"),
    expect: { code: "ref/unknown", ...at(IMG, 9, 5), message: "is a set of packages" },
  },
  {
    name: "ref/unknown: a reference in the middle of a command",
    files: image("- name: web\n  command: exec \${{ locksmiths }}/bin/run --flag\n"),
    expect: { code: "ref/unknown", ...at(IMG, 7, 19), hint: "${{ locksmith }}" },
  },
  {
    name: "ref/unknown: a second reference of a line",
    files: image("- name: web\n  command: \${{ locksmith }} \${{ locksmit }}\n"),
    expect: { code: "ref/unknown", ...at(IMG, 7, 31), hint: "${{ locksmith }}" },
  },
  {
    name: "ref/unknown: inside a literal block",
    files: image("- name: web\n  command: |\n    exec \\\n      \${{ locksmit }}/bin/run\n"),
    expect: { code: "ref/unknown", ...at(IMG, 9, 9), field: "services[0].command" },
  },
  {
    name: "ref/unknown: after an escape in a quoted string",
    files: image('- name: web\n  command: "\\t\${{ locksmit }}/bin/run"\n'),
    expect: { code: "ref/unknown", ...at(IMG, 7, 17) },
  },
  {
    name: "ref/unknown: a Hydra project is not a package",
    files: { ...doc(CI, CI_BODY), ...image("- name: web\n  command: \${{ ci.demo }}/bin/run\n") },
    expect: { code: "ref/unknown", ...at(IMG, 7, 14), message: "ci.demo" },
  },
  {
    name: "ref/unknown: fromImage naming a missing image",
    files: image(
      "- name: web\n  command: run\n",
      "fromImage: \${{ dockerImages.pulled.ubuntu }}\n",
    ),
    expect: { code: "ref/unknown", ...at(IMG, 8, 12), field: "fromImage" },
  },
  {
    name: "ref/unknown: the default parent image was deleted",
    files: {
      ...image("- name: web\n  command: run\n"),
      "packages/dockerImages/pulled/kubernetesBaseImage.yaml": null,
    },
    expect: { code: "ref/unknown", ...top(IMG), message: "default parent image" },
  },
  {
    name: "ref/unknown: a referenced package was deleted",
    files: { "packages/contrail32Cw.yaml": null },
    expect: {
      code: "ref/unknown",
      ...at("packages/dockerImages/contrailApi.yaml", 10, 7),
      message: "contrail32Cw.api",
    },
  },
  {
    name: "ref/unknown: a test argument naming a missing image",
    files: test(TEST_BODY + "arguments:\n  image: \${{ dockerImages.missingImage }}\n"),
    expect: { code: "ref/unknown", ...at(TEST, 6, 10), field: "arguments.image" },
  },
  {
    name: "ref/unknown: a debian package content naming a fragment",
    files: {
      ...fragment("fragments.demo", "debianPackage", "layout: mkdir x\n"),
      ...doc(DEB, DEB_BODY + "contents:\n  - \${{ fragments.demo }}\n"),
    },
    expect: { code: "ref/unknown", ...at(DEB, 7, 5), field: "contents[0]" },
  },
  {
    name: "ref/unknown: an image env value",
    files: doc(
      IMG,
      "kind: dockerImage\nimageName: test/demo\nconfig:\n  cmd: [run]\n  env:\n    VAULT: \${{ valt }}/bin/vault\n",
    ),
    expect: { code: "ref/unknown", ...at(IMG, 7, 12), field: "config.env.VAULT" },
  },
  {
    name: "ref/unknown-nixpkgs: a misspelt nixpkgs package, with a suggestion",
    files: script("program: demo\ntext: echo demo\nruntimeInputs:\n  - \${{ pkgs.gzp }}\n"),
    expect: {
      code: "ref/unknown-nixpkgs",
      ...at(TOOL, 8, 9),
      field: "script.runtimeInputs[0]",
      hint: "${{ pkgs.gzip }}",
    },
  },
  {
    name: "ref/unknown-nixpkgs: pkgs alone",
    files: script("program: demo\ntext: \${{ pkgs }}/bin/sh\n"),
    expect: { code: "ref/unknown-nixpkgs", ...at(TOOL, 6, 11), message: "pkgs.<name>" },
  },
  {
    name: "ref/unknown-nixpkgs: in a stdenv hook",
    files: appBuild("stdenv:\n  installPhase: cp \${{ pkgs.hello }}/bin/hello $out/bin\n"),
    expect: { code: "ref/unknown-nixpkgs", ...at(APP, 7, 24), field: "build.stdenv.installPhase" },
  },
  {
    name: "ref/syntax: two words in a reference",
    files: image("- name: web\n  command: \${{ locksmith bin }}\n"),
    expect: { code: "ref/syntax", ...at(IMG, 7, 14), field: "services[0].command" },
  },
  {
    name: "ref/syntax: an empty reference",
    files: script("program: demo\ntext: echo \${{ }}\n"),
    expect: { code: "ref/syntax", ...at(TOOL, 6, 16) },
  },
  {
    name: "ref/syntax: a path ending with a dot",
    files: image("- name: web\n  command: run\n  preStart: \${{ locksmith. }}/bin/check\n"),
    expect: { code: "ref/syntax", ...at(IMG, 8, 15), field: "services[0].preStart" },
  },
  {
    name: "ref/unterminated: a reference never closed",
    files: image("- name: web\n  command: \${{ locksmith /bin/run\n"),
    expect: { code: "ref/unterminated", ...at(IMG, 7, 14), hint: "$${{" },
  },
  {
    name: "ref/unterminated: in a debian maintainer script",
    files: doc(DEB, DEB_BODY + "maintainerScripts:\n  postinst: echo \${{ locksmith\n"),
    expect: { code: "ref/unterminated", ...at(DEB, 7, 18), field: "maintainerScripts.postinst" },
  },
  {
    name: "ref/cycle: two applications referring to each other",
    files: {
      ...doc(
        "packages/alpha.yaml",
        APP_BODY.replace("pname: demo", "pname: alpha") +
          "    buildInputs:\n      - \${{ beta }}\n",
      ),
      ...doc(
        "packages/beta.yaml",
        APP_BODY.replace("pname: demo", "pname: beta") +
          "    buildInputs:\n      - \${{ alpha }}\n",
      ),
    },
    expect: {
      code: "ref/cycle",
      ...at("packages/alpha.yaml", 10, 9),
      message: "alpha -> beta -> alpha",
    },
  },
  {
    name: "ref/cycle: an application referring to itself",
    files: doc(APP, APP_BODY + "    preBuild: ls \${{ demo }}\n"),
    expect: { code: "ref/cycle", ...at(APP, 9, 18), field: "build.go.preBuild" },
  },
  {
    name: "ref/cycle: an image built from itself",
    files: image("- name: web\n  command: run\n", "fromImage: \${{ dockerImages.demo }}\n"),
    expect: {
      code: "ref/cycle",
      ...at(IMG, 8, 12),
      field: "fromImage",
      message: "dockerImages.demo -> dockerImages.demo",
    },
  },
  {
    name: "ref/args-outside-fragment: in an application",
    files: goApp("packagePath: github.com/example/demo\npreBuild: echo \${{ args.name }}\n"),
    expect: { code: "ref/args-outside-fragment", ...at(APP, 8, 22), field: "build.go.preBuild" },
  },
  {
    name: "ref/args-outside-fragment: in a service command",
    files: image("- name: web\n  command: run --name \${{ args.service }}\n"),
    expect: { code: "ref/args-outside-fragment", ...at(IMG, 7, 25) },
  },
  {
    name: "ref/self: self.files in a script without files",
    files: script("program: demo\ntext: cat \${{ self.files }}/demo.conf\n"),
    expect: { code: "ref/self", ...at(TOOL, 6, 15), field: "script.text" },
  },
  {
    name: "ref/self: self.files inside the files themselves",
    files: script(
      "program: demo\ntext: cat \${{ self.files }}/a\nfiles:\n  a: \${{ self.files }}\n",
    ),
    expect: { code: "ref/self", ...at(TOOL, 8, 10), field: "script.files.a" },
  },
  {
    name: "ref/self: self in a service command",
    files: image("- name: web\n  command: \${{ self }}/bin/run\n"),
    expect: { code: "ref/self", ...at(IMG, 7, 14) },
  },
  {
    name: "ref/self: an image file that the image does not have",
    files: image(
      "- name: web\n  command: run \${{ self.files.confg }}\n",
      "files:\n  conf:\n    name: web.conf\n    text: a\n",
    ),
    expect: { code: "ref/self", ...at(IMG, 7, 18), hint: "self.files.conf" },
  },
  {
    name: "image/file-cycle: two image files naming each other",
    files: image(
      "- name: web\n  command: run \${{ self.files.a }}\n",
      "files:\n  a:\n    name: a\n    text: \${{ self.files.b }}\n  b:\n    name: b\n    text: \${{ self.files.a }}\n",
    ),
    expect: { code: "image/file-cycle", ...at(IMG, 11, 11), field: "files.a.text" },
  },
];

// ---------------------------------------------------------------------------------------------
// Services, images, the tree

const serviceCases: Case[] = [
  {
    name: "service/duplicate: two services with one name",
    files: image("- name: web\n  command: run\n- name: web\n  command: run again\n"),
    expect: { code: "service/duplicate", ...at(IMG, 8, 11), field: "services[1].name" },
  },
  {
    name: "service/after-self: a service waiting for itself",
    files: image("- name: web\n  command: run\n  after: [web]\n"),
    expect: { code: "service/after-self", ...at(IMG, 8, 13), field: "services[0].after[0]" },
  },
  {
    name: "service/unknown-after: a misspelt service, with a suggestion",
    files: image(
      "- name: database\n  command: run\n- name: web\n  command: run\n  after: [databse]\n",
    ),
    expect: {
      code: "service/unknown-after",
      ...at(IMG, 10, 13),
      field: "services[1].after[0]",
      hint: 'did you mean "database"?',
    },
  },
  {
    name: "service/after-cycle: two services waiting for each other",
    files: image(
      "- name: api\n  command: run\n  after: [web]\n- name: web\n  command: run\n  after: [api]\n",
    ),
    expect: {
      code: "service/after-cycle",
      ...at(IMG, 8, 12),
      field: "services[0].after",
      message: "api -> web -> api",
    },
  },
  {
    name: "service/no-command: a service with neither command nor configFiles",
    files: image("- name: web\n  user: root\n"),
    expect: { code: "service/no-command", ...at(IMG, 6, 5), field: "services[0]" },
  },
  {
    name: "service/no-command: the second service",
    files: image("- name: web\n  command: run\n- name: worker\n  oneShot: true\n"),
    expect: {
      code: "service/no-command",
      ...at(IMG, 8, 5),
      field: "services[1]",
      message: '"worker"',
    },
  },
  {
    name: "service/reserved-name: a service named fluentd beside logging services",
    files: image(
      "- name: fluentd\n  command: run\n- name: web\n  command: run\n  fluentd:\n    source: { type: stdout }\n",
    ),
    expect: { code: "service/reserved-name", ...at(IMG, 6, 11), field: "services[0].name" },
  },
  {
    name: "image/fluentd-package: a logging service in a set without fluentdCw and waitFor",
    files: {
      ...image("- name: web\n  command: run\n  fluentd:\n    source: { type: stdout }\n"),
      "packages/fluentdCw.yaml": null,
      "packages/waitFor.yaml": null,
    },
    expect: { code: "image/fluentd-package", ...at(IMG, 9, 7), field: "services[0].fluentd" },
  },
  {
    name: "config/check-package: a YAML-checked template in a set without consulTemplateMock",
    files: {
      ...configFile("- destination: /run/web.yaml\n  template: 'a: 1'\n  check:\n    yaml: true\n"),
      "packages/consulTemplateMock.yaml": null,
    },
    expect: {
      code: "config/check-package",
      ...at(IMG, 11, 11),
      field: "services[0].configFiles[0].check",
    },
  },
  {
    name: "image/no-command: an image with a config but no cmd",
    files: doc(IMG, "kind: dockerImage\nimageName: test/demo\nconfig:\n  env:\n    LANG: C\n"),
    expect: { code: "image/no-command", ...top(IMG), hint: "config: { cmd" },
  },
  {
    name: "image/no-command: an image without services or config.cmd",
    files: doc(IMG, "kind: dockerImage\nimageName: test/demo\nfromImage: null\n"),
    expect: { code: "image/no-command", ...top(IMG) },
  },
];

const treeCases: Case[] = [
  {
    name: "tree/clash: a folder with the name of a package",
    files: doc("packages/locksmith/plugin.yaml", APP_BODY),
    expect: { code: "tree/clash", ...top("packages/locksmith/plugin.yaml"), message: "locksmith" },
  },
  {
    name: "tree/reserved-name: a package named lib",
    files: doc("packages/lib.yaml", APP_BODY),
    expect: { code: "tree/reserved-name", ...top("packages/lib.yaml") },
  },
  {
    name: "tree/reserved-name: a set named pkgs",
    files: doc("packages/pkgs/demo.yaml", APP_BODY),
    expect: { code: "tree/reserved-name", ...top("packages/pkgs/demo.yaml") },
  },
  {
    name: "tree/reserved-name: a tool named default",
    files: doc("packages/default.yaml", TOOL_BODY),
    expect: { code: "tree/reserved-name", ...top("packages/default.yaml") },
  },
  {
    name: "tree/misplaced: a docker image at the top level",
    files: doc(APP, "kind: dockerImage\nimageName: test/demo\nconfig:\n  cmd: [run]\n"),
    expect: {
      code: "tree/misplaced",
      ...at(APP, 2, 7),
      field: "kind",
      message: "packages/dockerImages/<name>.yaml",
    },
  },
  {
    name: "tree/misplaced: a pulled image beside the built images",
    files: doc("packages/dockerImages/base.yaml", PULLED_BODY),
    expect: { code: "tree/misplaced", ...at("packages/dockerImages/base.yaml", 2, 7) },
  },
  {
    name: "tree/misplaced: an application in tools/",
    files: doc("packages/tools/demo.yaml", APP_BODY),
    expect: { code: "tree/misplaced", ...at("packages/tools/demo.yaml", 2, 7) },
  },
  {
    name: "tree/misplaced: a test at the top level",
    files: { ...doc(APP, TEST_BODY), "packages/demo.nix": NIX_OK },
    expect: { code: "tree/misplaced", ...at(APP, 2, 7), message: "packages/test/<name>.yaml" },
  },
  {
    name: "tree/misplaced: a Hydra project at the top level",
    files: doc(APP, CI_BODY),
    expect: { code: "tree/misplaced", ...at(APP, 2, 7) },
  },
  {
    name: "tree/misplaced: pins in ci/",
    files: doc("packages/ci/pins.yaml", PINS_BODY),
    expect: { code: "tree/misplaced", ...at("packages/ci/pins.yaml", 2, 7) },
  },
  {
    name: "tree/misplaced: a debian package at the top level",
    files: doc(APP, DEB_BODY),
    expect: { code: "tree/misplaced", ...at(APP, 2, 7) },
  },
  {
    name: "tree/misplaced: a contrail package set in a folder",
    files: doc("packages/contrail/set.yaml", SET_BODY),
    expect: { code: "tree/misplaced", ...at("packages/contrail/set.yaml", 2, 7) },
  },
  {
    name: "tree/misplaced: a fragment outside fragments/",
    files: doc(
      APP,
      "kind: fragment\ndescription: Demo\nfragmentOf: service\nvalue:\n  user: root\n",
    ),
    expect: { code: "tree/misplaced", ...at(APP, 2, 7) },
  },
  {
    name: "tree/misplaced: an application under fragments/",
    files: doc("packages/fragments/demo.yaml", APP_BODY),
    expect: { code: "tree/misplaced", ...at("packages/fragments/demo.yaml", 2, 7) },
  },
  {
    name: "tree/misplaced: a docker image in a fragments subfolder",
    files: doc(
      "packages/fragments/images/demo.yaml",
      "kind: dockerImage\nimageName: test/demo\nconfig:\n  cmd: [run]\n",
    ),
    expect: { code: "tree/misplaced", ...at("packages/fragments/images/demo.yaml", 2, 7) },
  },
  {
    name: "tree/misplaced: a docker image in a pulled folder of its own",
    files: doc(
      "packages/dockerImages/pulled/demo.yaml",
      "kind: dockerImage\nimageName: test/demo\nconfig:\n  cmd: [run]\n",
    ),
    expect: { code: "tree/misplaced", ...at("packages/dockerImages/pulled/demo.yaml", 2, 7) },
  },
];

// ---------------------------------------------------------------------------------------------
// Fragments

/** A service fragment `fragments.web.base` with parameter `port`, used by image services. */
const WEB_FRAGMENT = fragment(
  "fragments.web.base",
  "service",
  "command: run --port \${{ args.port }}\n",
  "port:\n  description: Port to listen on\n  example: '8080'\n",
);

const fragmentCases: Case[] = [
  {
    name: "fragment/unknown: a misspelt fragment, with a suggestion",
    files: { ...WEB_FRAGMENT, ...image("- name: web\n  extends: [fragments.web.bsae]\n") },
    expect: {
      code: "fragment/unknown",
      ...at(IMG, 7, 15),
      field: "services[0].extends[0]",
      hint: "fragments.web.base",
    },
  },
  {
    name: "fragment/unknown: a fragment that does not exist",
    files: doc(APP, APP_BODY + "extends: [fragments.go.defaults]\n"),
    expect: { code: "fragment/unknown", ...at(APP, 9, 11), field: "extends[0]" },
  },
  {
    name: "fragment/unknown: in the object form",
    files: {
      ...WEB_FRAGMENT,
      ...image(
        "- name: web\n  extends:\n    - fragment: fragments.web.server\n      with: { port: 80 }\n",
      ),
    },
    expect: {
      code: "fragment/unknown",
      ...at(IMG, 8, 19),
      field: "services[0].extends[0].fragment",
    },
  },
  {
    name: "fragment/unknown: in an ini section of a fragment",
    files: fragment(
      "fragments.ini",
      "configFile",
      "ini:\n  sections:\n    A:\n      extends: [fragments.nope]\n",
    ),
    expect: {
      code: "fragment/unknown",
      ...at(frag("fragments.ini"), 9, 19),
      field: "value.ini.sections.A.extends[0]",
    },
  },
  {
    name: "fragment/wrong-target: a service fragment extending an image",
    files: {
      ...WEB_FRAGMENT,
      ...image(
        "- name: web\n  command: run\n",
        "extends:\n  - { fragment: fragments.web.base, with: { port: 80 } }\n",
      ),
    },
    expect: {
      code: "fragment/wrong-target",
      ...at(IMG, 9, 17),
      message: "fragments.web.base is a fragment of",
    },
  },
  {
    name: "fragment/wrong-target: an ini fragment extending an application",
    files: {
      ...fragment("fragments.ini.log", "iniSection", "keys:\n  log_local: 1\n"),
      ...doc(APP, APP_BODY + "extends: [fragments.ini.log]\n"),
    },
    expect: { code: "fragment/wrong-target", ...at(APP, 9, 11), field: "extends[0]" },
  },
  {
    name: "fragment/cycle: two fragments extending each other",
    files: {
      ...fragment("fragments.a", "service", "extends: [fragments.b]\nuser: root\n"),
      ...fragment("fragments.b", "service", "extends: [fragments.a]\nchdir: /tmp\n"),
    },
    expect: {
      code: "fragment/cycle",
      ...at(frag("fragments.b"), 6, 13),
      message: "fragments.a -> fragments.b -> fragments.a",
    },
  },
  {
    name: "fragment/cycle: a fragment extending itself",
    files: fragment("fragments.a", "service", "extends: [fragments.a]\nuser: root\n"),
    expect: { code: "fragment/cycle", ...at(frag("fragments.a"), 6, 13) },
  },
  {
    name: "fragment/missing-argument: a parameterised fragment used by name",
    files: { ...WEB_FRAGMENT, ...image("- name: web\n  extends: [fragments.web.base]\n") },
    expect: {
      code: "fragment/missing-argument",
      ...at(IMG, 7, 15),
      message: "port",
      hint: "with: { port: ... }",
    },
  },
  {
    name: "fragment/missing-argument: with given but empty",
    files: {
      ...WEB_FRAGMENT,
      ...image("- name: web\n  extends:\n    - fragment: fragments.web.base\n      with: {}\n"),
    },
    expect: {
      code: "fragment/missing-argument",
      ...at(IMG, 8, 9),
      field: "services[0].extends[0]",
    },
  },
  {
    name: "fragment/unknown-argument: a misspelt argument, with a suggestion",
    files: {
      ...WEB_FRAGMENT,
      ...image(
        "- name: web\n  extends:\n    - fragment: fragments.web.base\n      with: { port: 80, ports: 81 }\n",
      ),
    },
    expect: {
      code: "fragment/unknown-argument",
      ...at(IMG, 9, 27),
      field: "services[0].extends[0].with.ports",
      hint: '"port"',
    },
  },
  {
    name: "fragment/unknown-argument: an argument to a fragment without parameters",
    files: {
      ...fragment("fragments.root", "service", "user: root\n"),
      ...image(
        "- name: web\n  command: run\n  extends:\n    - { fragment: fragments.root, with: { user: nobody } }\n",
      ),
    },
    expect: { code: "fragment/unknown-argument", ...at(IMG, 9, 45), message: "no arguments" },
  },
  {
    name: "fragment/unknown-parameter: args naming no declared parameter",
    files: fragment(
      "fragments.web.base",
      "service",
      "command: \${{ args.pot }} --verbose\n",
      "port:\n  description: Port\n",
    ),
    expect: {
      code: "fragment/unknown-parameter",
      ...at(frag("fragments.web.base"), 9, 12),
      field: "value.command",
      hint: "${{ args.port }}",
    },
  },
  {
    name: "fragment/unknown-parameter: args in a fragment without parameters",
    files: fragment("fragments.log", "iniSection", "keys:\n  log_file: \${{ args.service }}.log\n"),
    expect: {
      code: "fragment/unknown-parameter",
      ...at(frag("fragments.log"), 7, 15),
      message: "none",
    },
  },
];

/** Mistakes written inside a fragment are reported in the fragment's file. */
const inFragmentCases: Case[] = [
  {
    name: "in a fragment: schema/enum in a service fragment",
    files: {
      ...fragment("fragments.root", "service", "user: admin\n"),
      ...image("- name: web\n  command: run\n  extends: [fragments.root]\n"),
    },
    expect: { code: "schema/enum", ...at(frag("fragments.root"), 6, 9), field: "value.user" },
  },
  {
    name: "in a fragment: schema/unknown-key in an ini section fragment",
    files: fragment("fragments.ini.log", "iniSection", "key:\n  log_local: 1\n"),
    expect: {
      code: "schema/unknown-key",
      ...at(frag("fragments.ini.log"), 6, 3),
      field: "value.key",
      hint: '"keys"',
    },
  },
  {
    name: "in a fragment: schema/pattern in an image fragment",
    files: {
      ...fragment("fragments.image", "dockerImage", "config:\n  workingDir: tmp\n"),
      ...image("- name: web\n  command: run\n", "extends: [fragments.image]\n"),
    },
    expect: {
      code: "schema/pattern",
      ...at(frag("fragments.image"), 7, 17),
      field: "value.config.workingDir",
    },
  },
  {
    name: "in a fragment: schema/type in a fluentd fragment",
    files: fragment("fragments.logs", "fluentd", "filters: { type: stdout }\n"),
    expect: { code: "schema/type", ...at(frag("fragments.logs"), 6, 12), field: "value.filters" },
  },
  {
    name: "in a fragment: ref/unknown found when a service uses it",
    files: {
      ...fragment("fragments.vault", "service", "preStart: \${{ vaultt }}/bin/vault status\n"),
      ...image("- name: web\n  command: run\n  extends: [fragments.vault]\n"),
    },
    expect: { code: "ref/unknown", ...at(frag("fragments.vault"), 6, 13), field: "value.preStart" },
  },
  {
    name: "in a fragment: service/after-self once merged",
    files: {
      ...fragment("fragments.afterDb", "service", "after: [db]\n"),
      ...image("- name: db\n  command: run\n  extends: [fragments.afterDb]\n"),
    },
    expect: {
      code: "service/after-self",
      ...at(frag("fragments.afterDb"), 6, 11),
      field: "value.after[0]",
    },
  },
  {
    name: "in a fragment: ref/unknown-nixpkgs through a parameterised fragment",
    files: {
      ...fragment(
        "fragments.web.base",
        "service",
        "command: \${{ pkgs.ngin }}/bin/nginx -p \${{ args.port }}\n",
        "port:\n  description: Port\n",
      ),
      ...image("- name: web\n  extends: [{ fragment: fragments.web.base, with: { port: 80 } }]\n"),
    },
    expect: {
      code: "ref/unknown-nixpkgs",
      ...at(frag("fragments.web.base"), 9, 12),
      hint: "pkgs.nginx",
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Dependencies inside one build, hand-written Nix files

/** One gem (four lines, three without dependencies) for `bundler()`. */
const gem = (name: string, deps = ""): string =>
  `- name: ${name}\n  version: 1.0.0\n  sha256: ${SHA}\n` +
  (deps === "" ? "" : `  dependencies: [${deps}]\n`);
/** A bundler build: gemfile on line 7, the first gem's name on line 9, its dependencies on 12. */
const bundler = (gems: string): Files =>
  appBuild(`bundler:\n  gemfile: source 'https://rubygems.org'\n  gems:\n${indent(gems, 4)}`);
/** One Python package (five lines, four without propagates) for `python()`. */
const pyPackage = (name: string, propagates = ""): string =>
  `- name: ${name}\n  version: 1.0.0\n  url: https://example.org/${name}.tgz\n  sha256: ${SHA}\n` +
  (propagates === "" ? "" : `  propagates: [${propagates}]\n`);
/** A python build: main on line 7, the first package's name on line 9, its propagates on 13. */
const python = (main: string, packages: string): Files =>
  appBuild(`python:\n  main: ${main}\n  packages:\n${indent(packages, 4)}`);

const dependencyCases: Case[] = [
  {
    name: "dependency/unknown: a gem depending on a misspelt gem",
    files: bundler(gem("fluentd", "msgpak") + gem("msgpack")),
    expect: {
      code: "dependency/unknown",
      ...at(APP, 12, 26),
      field: "build.bundler.gems[0].dependencies[0]",
      hint: '"msgpack"',
    },
  },
  {
    name: "dependency/unknown: a Python package propagating an unknown one",
    files: python("client", pyPackage("client", "requests")),
    expect: {
      code: "dependency/unknown",
      ...at(APP, 13, 24),
      field: "build.python.packages[0].propagates[0]",
    },
  },
  {
    name: "dependency/unknown: python main naming no package of the list",
    files: python("clinet", pyPackage("client")),
    expect: {
      code: "dependency/unknown",
      ...at(APP, 7, 13),
      field: "build.python.main",
      hint: '"client"',
    },
  },
  {
    name: "dependency/cycle: gems depending on each other",
    files: bundler(gem("a", "b") + gem("b", "a")),
    expect: { code: "dependency/cycle", ...at(APP, 12, 25), message: "a -> b -> a" },
  },
  {
    name: "dependency/cycle: a Python package propagating itself",
    files: python("client", pyPackage("client", "client")),
    expect: {
      code: "dependency/cycle",
      ...at(APP, 13, 23),
      field: "build.python.packages[0].propagates",
    },
  },
];

const nixFileCases: Case[] = [
  {
    name: "nixfile/missing: a test whose Nix file does not exist",
    files: test(TEST_BODY, null),
    expect: { code: "nixfile/missing", ...at(TEST, 4, 10), field: "nixFile" },
  },
  {
    name: "nixfile/missing: a misspelt Nix file, with a suggestion",
    files: test(TEST_BODY.replace("./demo.nix", "./dmeo.nix")),
    expect: { code: "nixfile/missing", ...at(TEST, 4, 10), hint: "did you mean ./demo.nix?" },
  },
  {
    name: "nixfile/missing: a test importing a Nix file that does not exist",
    files: test(TEST_BODY + "nixImports: [./shared.nix]\n"),
    expect: { code: "nixfile/missing", ...at(TEST, 5, 14), field: "nixImports[0]" },
  },
  {
    name: "nixfile/missing: a tool whose Nix file does not exist",
    files: doc(TOOL, NIX_TOOL_BODY),
    expect: { code: "nixfile/missing", ...at(TOOL, 4, 10), field: "nixFile" },
  },
  {
    name: "nixfile/missing: a tool importing a Nix file that does not exist",
    files: { ...doc(TOOL, NIX_TOOL_BODY + "nixImports: [./shared.nix]\n"), [TOOL_NIX]: NIX_OK },
    expect: { code: "nixfile/missing", ...at(TOOL, 5, 14), field: "nixImports[0]" },
  },
  {
    name: "test/duplicate-argument: an image of a test named like one of its arguments",
    files: test(
      TEST_BODY +
        "arguments:\n  web: ${{ locksmith }}\nimages:\n  web:\n    imageName: web\n    config: { cmd: [run] }\n",
    ),
    expect: { code: "test/duplicate-argument", ...at(TEST, 9, 5), field: "images.web" },
  },
  {
    name: "service/unknown-after: inside an image of a test, at the image's service",
    files: test(
      TEST_BODY +
        "images:\n  web:\n    imageName: web\n    services:\n      - name: a\n        command: run\n        after: [b]\n",
    ),
    expect: {
      code: "service/unknown-after",
      ...at(TEST, 11, 17),
      field: "images.web.services[0].after[0]",
    },
  },
  {
    name: "nixfile/syntax: a Nix file that does not parse",
    files: test(TEST_BODY, "{ runCommand }:\n{ a = 1 }\n"),
    needsNix: true,
    expect: { code: "nixfile/syntax", ...at(TEST_NIX, 2, 9) },
  },
];

// ---------------------------------------------------------------------------------------------
// Encodings and line endings that must not move positions

const encodingCases: Case[] = [
  {
    name: "CRLF: schema/unknown-key keeps its line and column",
    files: { [APP]: crlf(header(APP, APP_BODY) + APP_BODY + "    ldflag: [-s]\n") },
    expect: { code: "schema/unknown-key", ...at(APP, 9, 5), field: "build.go.ldflag" },
  },
  {
    name: "CRLF: ref/unknown inside a line keeps its column",
    files: (() => {
      const files = image("- name: web\n  command: exec \${{ locksmiths }}/bin/run\n");
      return { [IMG]: crlf(files[IMG] as string) };
    })(),
    expect: { code: "ref/unknown", ...at(IMG, 7, 19) },
  },
  {
    name: "BOM: schema/unknown-key after a byte order mark",
    files: { [APP]: "\uFEFF" + header(APP, APP_BODY) + APP_BODY + "pnam: x\n" },
    expect: { code: "schema/unknown-key", ...at(APP, 9, 1), hint: '"pname"' },
  },
];

// ---------------------------------------------------------------------------------------------
// Cases the generator gets wrong today, with the diagnostic it should give. They are not part of
// the corpus (the runner lists them as todo); move one into the corpus once its problem is fixed.

export interface PendingCase extends Case {
  /** What the generator does instead. */
  readonly problem: string;
}

/** Eight levels of ten aliases each: 10^8 nodes once expanded. */
const ALIAS_BOMB =
  "kind: application\na: &a [x, x, x, x, x, x, x, x, x, x]\n" +
  Array.from({ length: 7 }, (_, i) => {
    const [name, previous] = ["bcdefgh"[i]!, "abcdefg"[i]!];
    return `${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]\n`;
  }).join("");

export const PENDING: readonly PendingCase[] = [];

// ---------------------------------------------------------------------------------------------
// Found by hostile input and by the fuzzer (test/fuzz/): values a descriptor cannot hold, names
// that become attribute names twice, and library wording, each at its place.

const hostileCases: readonly Case[] = [
  {
    name: "yaml/non-string-key: a flow sequence used as a key",
    files: doc(APP, APP_BODY + "[a, b]: c\n"),
    expect: { code: "yaml/non-string-key", ...at(APP, 9, 1) },
  },
  {
    name: "yaml/nul-character: a \\0 escape in a string field",
    files: doc(APP, APP_BODY.replace("Demo application", '"Demo\\0app"')),
    expect: { code: "yaml/nul-character", ...at(APP, 3, 14) },
  },
  {
    name: "yaml/number-range: an integer past 2^53 in a Hydra setting",
    files: ci("defaults:\n  keepnr: 123456789012345678901234\n"),
    expect: { code: "yaml/number-range", ...at(CI, 14, 11), message: "123456789012345678901234" },
  },
  {
    name: "yaml/number-range: an endless number",
    files: ci("defaults:\n  keepnr: .inf\n"),
    expect: { code: "yaml/number-range", ...at(CI, 14, 11), message: "finite" },
  },
  {
    name: "yaml/version: a %YAML 1.1 directive, which would make yes a boolean",
    files: { [APP]: header(APP, APP_BODY) + "%YAML 1.1\n---\n" + APP_BODY },
    expect: { code: "yaml/version", ...at(APP, 2, 1), message: "YAML 1.2" },
  },
  {
    name: "yaml/tag: a !!binary value",
    files: doc(APP, APP_BODY.replace("pname: demo", "pname: !!binary ZGVtbw==")),
    expect: { code: "yaml/tag", ...at(APP, 4, 8), message: "!!binary" },
  },
  {
    name: "yaml/multiple-docs: a second document, in the project's words",
    files: doc(APP, APP_BODY + "---\nkind: tool\n"),
    expect: { code: "yaml/multiple-docs", ...at(APP, 9, 1), message: "one descriptor per file" },
  },
  {
    name: "yaml/too-deep: nesting past 64 levels",
    files: doc(APP, APP_BODY + `meta: ${"[".repeat(70)}${"]".repeat(70)}\n`),
    expect: { code: "yaml/too-deep", ...at(APP, 9, 70), message: "64 levels" },
  },
  {
    name: "yaml/duplicate-key: the message names the key and the line of the first",
    files: doc(APP, APP_BODY + "pname: other\n"),
    expect: { code: "yaml/duplicate-key", ...at(APP, 9, 1), message: '"pname" a second time' },
  },
  {
    name: "schema/unknown-key: __proto__ in a descriptor that extends a fragment",
    files: {
      ...fragment("fragments.demo", "application", "description: From a fragment\n"),
      ...doc(
        APP,
        omit(APP_BODY, "description") + "extends: [fragments.demo]\n__proto__:\n  pname: x\n",
      ),
    },
    expect: { code: "schema/unknown-key", ...at(APP, 9, 1), message: '"__proto__"' },
  },
  {
    name: "schema/pattern: a pin's branch with a line break, which would break its comment",
    files: doc(PINS, PINS_BODY.replace("branch: release-18.03", 'branch: "release\\n# x"')),
    expect: { code: "schema/pattern", ...at(PINS, 6, 11), field: "nixpkgs.branch" },
  },
  {
    name: "schema/missing-key: a Go build without a source",
    files: doc(APP, APP_BODY),
    expect: { code: "schema/missing-key", ...top(APP), message: '"source"' },
  },
  {
    name: "dependency/duplicate: two Python packages with one name",
    files: python("client", pyPackage("client") + pyPackage("client")),
    expect: {
      code: "dependency/duplicate",
      ...at(APP, 13, 17),
      field: "build.python.packages[1].name",
      message: "the first is at line 9",
    },
  },
  {
    name: "dependency/duplicate: two gems with one name",
    files: bundler(gem("rake") + gem("rake")),
    expect: { code: "dependency/duplicate", ...at(APP, 12, 17), message: "line 9" },
  },
  {
    name: "dependency/duplicate: two Go dependencies with one package path",
    files: goApp(
      "packagePath: github.com/example/demo\ndeps:\n" +
        `  - { packagePath: example.org/a, url: https://example.org/a, rev: v1, sha256: ${SHA} }\n` +
        `  - { packagePath: example.org/a, url: https://example.org/a, rev: v2, sha256: ${SHA} }\n`,
    ),
    expect: { code: "dependency/duplicate", ...at(APP, 10, 26), message: "line 9" },
  },
  {
    name: "config/duplicate-destination: two files of a service rendered to one path",
    files: configFile(
      "- destination: /run/a.conf\n  template: a\n- destination: /run/a.conf\n  template: b\n",
    ),
    expect: {
      code: "config/duplicate-destination",
      ...at(IMG, 10, 22),
      message: "the first is at line 8",
    },
  },
  {
    name: "debian/duplicate-path: two files at one path",
    files: doc(
      DEB,
      DEB_BODY + "files:\n  - path: etc/a\n    text: a\n  - path: etc/a\n    text: b\n",
    ),
    expect: { code: "debian/duplicate-path", ...at(DEB, 9, 11), message: "line 7" },
  },
  {
    name: "debian/duplicate-path: a file where another needs a folder",
    files: doc(
      DEB,
      DEB_BODY + "files:\n  - path: etc/a/b\n    text: a\n  - path: etc/a\n    text: b\n",
    ),
    expect: {
      code: "debian/duplicate-path",
      ...at(DEB, 9, 11),
      message: "either a file or a folder",
    },
  },
  {
    name: "contrail/duplicate-name: a vrouter module also exposed",
    files: doc(
      SET,
      SET_BODY +
        "vrouterModules:\n  api: ${{ ubuntuKernelHeaders.ubuntuKernelHeaders_3_13_0_83_generic }}\n",
    ),
    expect: { code: "contrail/duplicate-name", ...at(SET, 8, 8), message: "line 6" },
  },
  {
    name: "schema/key-pattern: a test argument named like a Nix keyword",
    files: test(TEST_BODY + "arguments:\n  or: ${{ locksmith }}\n"),
    expect: { code: "schema/key-pattern", ...at(TEST, 6, 3), field: "arguments.or" },
  },
  {
    name: "service/duplicate: the message names where the first service is",
    files: image("- name: web\n  command: run\n- name: web\n  command: run again\n"),
    expect: { code: "service/duplicate", ...at(IMG, 8, 11), message: "the first is at line 6" },
  },
];

/** Cases the corpus found wrong at first, fixed in the generator since. */
const fixedCases: readonly Case[] = [
  {
    name: "yaml/unresolved-alias: an alias without its anchor points at the alias",
    files: doc(APP, APP_BODY.replace("pname: demo", "pname: *nope")),
    expect: { code: "yaml/unresolved-alias", ...at(APP, 4, 8), message: "&nope" },
  },
  {
    name: "schema/empty: a map that needs at least one key is empty",
    files: image(
      "- name: web\n  command: run\n  configFiles:\n    - destination: /run/a.conf\n      ini: {}\n",
    ),
    expect: { code: "schema/empty", ...at(IMG, 10, 14), field: "services[0].configFiles[0].ini" },
  },
  {
    name: "schema/enum: a fragment argument in a typed field is checked where the fragment is used",
    files: {
      ...fragment(
        "fragments.run",
        "service",
        "user: ${{ args.user }}\n",
        "user:\n  description: User\n",
      ),
      ...image(
        "- name: web\n  command: run\n  extends:\n    - fragment: fragments.run\n      with: { user: admin }\n",
      ),
    },
    expect: { code: "schema/enum", ...at(IMG, 10, 23), field: "services[0].extends[0].with.user" },
  },
  {
    name: "yaml/alias-limit: an alias bomb is a whole-file problem",
    files: doc(APP, ALIAS_BOMB),
    expect: { code: "yaml/alias-limit", ...wholeFile(APP) },
  },
  {
    name: "yaml/empty: a descriptor with no content is a whole-file problem",
    files: doc(APP, ""),
    expect: { code: "yaml/empty", ...wholeFile(APP) },
  },
  {
    name: "schema/too-few: an empty extends list",
    files: doc(APP, APP_BODY + "extends: []\n"),
    expect: { code: "schema/too-few", ...at(APP, 9, 10), field: "extends" },
  },
  {
    name: "schema/missing-key: an extends entry without fragment",
    files: doc(APP, APP_BODY + "extends:\n  - with: { x: 1 }\n"),
    expect: { code: "schema/missing-key", ...at(APP, 10, 5), field: "extends[0]" },
  },
  {
    name: "schema/type: an extends entry that is a number",
    files: image("- name: web\n  command: run\n  extends: [42]\n"),
    expect: { code: "schema/type", ...at(IMG, 8, 15), field: "services[0].extends[0]" },
  },
  {
    name: "schema/duplicate-item: a repeated service in after points at the repeat",
    files: image("- name: db\n  command: run\n- name: web\n  command: run\n  after: [db, db]\n"),
    expect: { code: "schema/duplicate-item", ...at(IMG, 10, 17), field: "services[1].after[1]" },
  },
  {
    name: "schema/unknown-key: an extends entry with an extra key",
    files: {
      ...fragment("fragments.run", "service", "command: run\n"),
      ...image("- name: web\n  extends:\n    - { fragment: fragments.run, extra: 1 }\n"),
    },
    expect: {
      code: "schema/unknown-key",
      ...at(IMG, 8, 36),
      field: "services[0].extends[0].extra",
    },
  },
  {
    name: "schema/type: a fragment argument that is a list",
    files: {
      ...fragment(
        "fragments.run",
        "service",
        "command: \${{ args.cmd }}\n",
        "cmd:\n  description: Command\n",
      ),
      ...image(
        "- name: web\n  extends:\n    - fragment: fragments.run\n      with: { cmd: [a, b] }\n",
      ),
    },
    expect: { code: "schema/type", ...at(IMG, 9, 22), field: "services[0].extends[0].with.cmd" },
  },
  {
    name: "ref/unknown: a bad reference passed as a fragment argument is reported where written",
    files: {
      ...fragment(
        "fragments.run",
        "service",
        "command: \${{ args.pkg }}/bin/run\n",
        "pkg:\n  description: Package\n",
      ),
      ...image(
        "- name: web\n  extends:\n    - fragment: fragments.run\n      with: { pkg: '\${{ locksmit }}' }\n",
      ),
    },
    expect: { code: "ref/unknown", ...at(IMG, 9, 23), field: "services[0].extends[0].with.pkg" },
  },
];

export const CASES: readonly Case[] = [
  ...pathCases,
  ...yamlCases,
  ...modelineCases,
  ...typeCases,
  ...missingCases,
  ...unknownKeyCases,
  ...unknownKindCases,
  ...enumCases,
  ...constCases,
  ...patternCases,
  ...oneOfCases,
  ...duplicateCases,
  ...tooFewCases,
  ...tooShortCases,
  ...rangeCases,
  ...keyPatternCases,
  ...refCases,
  ...serviceCases,
  ...treeCases,
  ...fragmentCases,
  ...inFragmentCases,
  ...dependencyCases,
  ...nixFileCases,
  ...encodingCases,
  ...hostileCases,
  ...fixedCases,
];
