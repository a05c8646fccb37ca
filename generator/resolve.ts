// Stage 5, resolve: turn validated descriptors into the typed package set. Fills in defaults,
// parses `${{ attr.path }}` references and checks them, places each kind in the tree, checks what
// a schema cannot (one of two fields, service names, hand-written Nix files), and reports name
// clashes and cycles.

import { didYouMean, type Diagnostic } from "./diagnostics.ts";
import { isPlaced, PLACEMENT_TEXT, withArticle } from "./kinds.ts";
import {
  DEFAULT_PARENT_IMAGE,
  RESERVED_NAMES,
  refName,
  type Application,
  type Build,
  type ConfigFile,
  type ContrailPackageSet,
  type DebianPackage,
  type DockerImage,
  type ImageFile,
  type Fluentd,
  type FluentdDirective,
  type GitHubSource,
  type GemfileDependency,
  type GoBuild,
  type HydraProject,
  type IniSection,
  type Meta,
  type NixCode,
  type Package,
  type PackageRef,
  type PackageSet,
  type Pin,
  type Pins,
  type PulledImage,
  type Service,
  type Template,
  type Test,
  type Tool,
} from "./model.ts";
import { NIXPKGS_ATTRIBUTES } from "./nixpkgs-attributes.ts";
import { diagnosticAt } from "./expand.ts";
import type { FieldPath } from "./parse.ts";
import type { ValidDescriptor } from "./validate.ts";

/** `${{ a.b }}` is a reference; `$${{` writes a literal `${{`. */
const REFERENCE = /\$\$\{\{|\$\{\{(.*?)\}\}|\$\{\{/gs;
const ATTR_PATH = /^[A-Za-z_][A-Za-z0-9_'-]*(\.[A-Za-z_][A-Za-z0-9_'-]*)*$/;

type Data = Record<string, unknown>;

/** What references may name besides packages, in the field being read. */
interface RefScope {
  /** `${{ self.files }}`: the files of a tool script. */
  readonly selfFiles?: boolean;
}

interface Context {
  readonly v: ValidDescriptor;
  readonly known: ReadonlySet<string>;
  readonly diagnostics: Diagnostic[];
  /** Every reference made, with where it was written, for the cycle check. */
  readonly refs: { ref: PackageRef; path: FieldPath; text: string }[];
  /** Keys of the image's `files`, which `${{ self.files.<key> }}` may name anywhere in it. */
  readonly imageFiles: Set<string>;
}

export interface ResolveInput {
  /** Attribute paths of every discovered descriptor, valid or not, so that a reference to a
   * descriptor with its own errors is not reported a second time as unknown. */
  readonly allPaths?: readonly (readonly string[])[];
  /** Hand-written .nix files found under packages/. */
  readonly nixFiles?: readonly string[];
}

export function resolve(
  descriptors: readonly ValidDescriptor[],
  input: ResolveInput = {},
): { set?: PackageSet; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const allPaths = input.allPaths ?? descriptors.map((v) => v.parsed.file.attrPath);
  const known = new Set(allPaths.filter(isPackagePath).map((p) => p.join(".")));
  for (const name of exposedNames(descriptors)) known.add(name);
  checkTree(descriptors, diagnostics);
  const packages: Package[] = [];
  const hydraProjects: HydraProject[] = [];
  let pins: Pins | null = null;
  const refsBySource = new Map<string, Context["refs"]>();
  for (const v of descriptors) {
    const ctx: Context = { v, known, diagnostics, refs: [], imageFiles: new Set() };
    if (v.kind === "fragment") continue; // merged by the expand stage
    if (v.kind === "pins") pins = toPins(v);
    else if (v.kind === "hydraProject") hydraProjects.push(toHydraProject(v));
    else {
      packages.push(toPackage(v, ctx));
      refsBySource.set(v.parsed.file.attrPath.join("."), ctx.refs);
    }
  }
  checkNixFiles(descriptors, input.nixFiles ?? [], packages, diagnostics);
  checkCycles(descriptors, refsBySource, diagnostics);
  packages.sort((a, b) => compareText(a.attrPath.join("."), b.attrPath.join(".")));
  hydraProjects.sort((a, b) => compareText(a.name, b.name));
  return diagnostics.length > 0
    ? { diagnostics }
    : { set: { packages, pins, hydraProjects }, diagnostics };
}

const compareText = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/**
 * Attributes a contrail package set re-exports from nixpkgs-contrail (`contrail32Cw.api`) and its
 * vrouter modules. Exposed sets (`tools`, `test`) are opaque: any attribute below them is accepted.
 */
function exposedNames(descriptors: readonly ValidDescriptor[]): string[] {
  return descriptors
    .filter((v) => v.kind === "contrailPackageSet")
    .flatMap((v) => {
      const data = v.value as Data;
      const set = v.parsed.file.attrPath.join(".");
      const names = [...((data.expose as string[] | undefined) ?? [])];
      names.push(...Object.keys((data.vrouterModules as Data | undefined) ?? {}));
      return names.map((n) => `${set}.${n}`);
    });
}

/** Whether `name` is a known package, or lies below an exposed set of a contrail package set. */
function isKnown(name: string, known: ReadonlySet<string>): boolean {
  if (known.has(name)) return true;
  const parts = name.split(".");
  for (let i = parts.length - 1; i > 1; i--) {
    if (known.has(parts.slice(0, i).join("."))) return true;
  }
  return false;
}

/** Paths that name a package: not fragments, CI projects or the pins. */
const isPackagePath = (p: readonly string[]): boolean =>
  p[0] !== "fragments" && p[0] !== "ci" && !(p.length === 1 && p[0] === "pins");

function error(
  v: ValidDescriptor,
  path: FieldPath,
  code: string,
  message: string,
  hint?: string,
  needle?: string,
): Diagnostic {
  return diagnosticAt(v.locate(path), code, message, hint, "value", needle);
}

/** File/folder clashes, reserved names and the place of each kind in the tree. */
function checkTree(descriptors: readonly ValidDescriptor[], diagnostics: Diagnostic[]): void {
  const paths = new Set(descriptors.map((v) => v.parsed.file.attrPath.join(".")));
  for (const v of descriptors) {
    const attrPath = v.parsed.file.attrPath;
    const dotted = attrPath.join(".");
    for (let i = 1; i < attrPath.length; i++) {
      const prefix = attrPath.slice(0, i).join(".");
      if (paths.has(prefix)) {
        diagnostics.push(
          error(
            v,
            [],
            "tree/clash",
            `${dotted} lies inside ${prefix}, which is already a package`,
            `rename the folder or the file ${prefix.replaceAll(".", "/")}.yaml`,
          ),
        );
      }
    }
    if (RESERVED_NAMES.has(attrPath[0]!)) {
      diagnostics.push(
        error(
          v,
          [],
          "tree/reserved-name",
          `${JSON.stringify(attrPath[0])} is used by the generated tree itself; choose another name`,
        ),
      );
    }
    if (!isPlaced(v.kind, attrPath)) {
      diagnostics.push(
        error(
          v,
          ["kind"],
          "tree/misplaced",
          `${withArticle(v.kind)} descriptor must live at ${PLACEMENT_TEXT[v.kind]}, found ${v.parsed.file.path}`,
        ),
      );
    }
  }
}

/** Typed reads of a descriptor's data; text fields go through the reference parser. */
class Reader {
  constructor(
    readonly ctx: Context,
    readonly data: Data,
    readonly path: FieldPath,
  ) {}
  at(key: string | number): FieldPath {
    return [...this.path, key];
  }
  child(key: string): Reader {
    return new Reader(this.ctx, (this.data[key] as Data | undefined) ?? {}, this.at(key));
  }
  has(key: string): boolean {
    return this.data[key] !== undefined;
  }
  str(key: string): string {
    return this.data[key] as string;
  }
  optStr(key: string): string | null {
    return (this.data[key] as string | undefined) ?? null;
  }
  num(key: string, fallback: number): number {
    return (this.data[key] as number | undefined) ?? fallback;
  }
  bool(key: string, fallback: boolean): boolean {
    return (this.data[key] as boolean | undefined) ?? fallback;
  }
  optBool(key: string): boolean | null {
    return (this.data[key] as boolean | undefined) ?? null;
  }
  strings(key: string): readonly string[] {
    return (this.data[key] as string[] | undefined) ?? [];
  }
  list(key: string): Reader[] {
    return ((this.data[key] as Data[] | undefined) ?? []).map(
      (item, i) => new Reader(this.ctx, item, [...this.at(key), i]),
    );
  }
  /** Entries of a map, in written order. */
  entries(key: string): [string, unknown][] {
    return Object.entries((this.data[key] as Data | undefined) ?? {});
  }
  text(key: string, scope: RefScope = {}): Template {
    return template(this.data[key] as string, this.at(key), this.ctx, scope);
  }
  optText(key: string, scope: RefScope = {}): Template | null {
    return this.has(key) ? this.text(key, scope) : null;
  }
  ref(key: string): PackageRef {
    return wholeReference(this.data[key] as string, this.at(key), this.ctx);
  }
  refs(key: string): readonly PackageRef[] {
    return this.strings(key).map((r, i) => wholeReference(r, [...this.at(key), i], this.ctx));
  }
}

function toPackage(v: ValidDescriptor, ctx: Context): Package {
  const r = new Reader(ctx, v.value as Data, []);
  const common = {
    attrPath: v.parsed.file.attrPath,
    source: v.parsed.file.path,
    description: r.optStr("description"),
  };
  switch (v.kind) {
    case "application":
      return toApplication(r, common);
    case "tool":
      return toTool(r, common);
    case "test":
      return toTest(r, common);
    case "pulledImage":
      return toPulledImage(r, common);
    case "dockerImage":
      return toDockerImage(r, common);
    case "debianPackage":
      return toDebianPackage(r, common);
    case "contrailPackageSet":
      return toContrailPackageSet(r, common);
    default:
      throw new Error(`not a package kind: ${v.kind}`);
  }
}

type Common = Pick<Application, "attrPath" | "source" | "description">;

function toGitHub(r: Reader): GitHubSource {
  return {
    owner: r.str("owner"),
    repo: r.str("repo"),
    rev: r.str("rev"),
    sha256: r.str("sha256"),
    name: r.optStr("name"),
    branch: r.optStr("branch"),
  };
}

function toPin(r: Reader): Pin {
  if (r.has("github")) return { type: "github", ...toGitHub(r.child("github")) };
  if (r.has("git")) {
    const g = r.child("git");
    return { type: "git", url: g.str("url"), rev: g.str("rev"), sha256: g.str("sha256") };
  }
  if (r.has("url")) {
    const u = r.child("url");
    return { type: "url", url: u.str("url"), sha256: u.str("sha256") };
  }
  if (r.has("zip")) {
    const z = r.child("zip");
    return {
      type: "zip",
      url: z.str("url"),
      sha256: z.str("sha256"),
      stripRoot: z.bool("stripRoot", true),
      name: z.optStr("name"),
    };
  }
  return {
    type: "urls",
    files: r.list("urls").map((u) => ({ url: u.str("url"), sha256: u.str("sha256") })),
  };
}

function toMeta(r: Reader): Meta {
  return {
    homepage: r.optStr("homepage"),
    license: r.optStr("license"),
    platforms: r.strings("platforms"),
    maintainers: r.strings("maintainers"),
  };
}

/** Shell hooks present among `names`, as templates. */
function hooks(r: Reader, names: readonly string[]): Record<string, Template> {
  return Object.fromEntries(names.filter((n) => r.has(n)).map((n) => [n, r.text(n)]));
}

function toApplication(r: Reader, common: Common): Application {
  const pname = r.str("pname");
  const build = toBuild(r.child("build"));
  // bundlerEnv names the environment after the gem `pname` and its locked version.
  if (build.builder === "bundler" && !build.gems.some((g) => g.name === pname)) {
    const names = build.gems.map((g) => g.name);
    r.ctx.diagnostics.push(unknownName(r, r.at("pname"), pname, names, "gem"));
  }
  return {
    ...common,
    kind: "application",
    pname,
    version: r.optStr("version"),
    src: r.has("source") ? toPin(r.child("source")) : null,
    meta: toMeta(r.child("meta")),
    build,
  };
}

const GO_HOOKS = ["prePatch", "preBuild", "buildPhase", "preInstall", "postInstall", "preFixup"];
const STDENV_HOOKS = [
  "unpackCmd",
  "prePatch",
  "preConfigure",
  "buildPhase",
  "installPhase",
  "postInstall",
  "preFixup",
];

function toBuild(r: Reader): Build {
  if (r.has("go")) {
    const g = r.child("go");
    return {
      builder: "go",
      packagePath: g.str("packagePath"),
      goVersion: (g.optStr("goVersion") ?? "default") as "default" | "1.10",
      ldflags: g.strings("ldflags"),
      deps: g.list("deps").map((d) => ({
        packagePath: d.str("packagePath"),
        url: d.str("url"),
        rev: d.str("rev"),
        sha256: d.str("sha256"),
      })),
      excludedPackages: g.strings("excludedPackages"),
      subPackages: g.strings("subPackages"),
      outputs: g.has("outputs") ? g.strings("outputs") : ["bin", "out"],
      buildInputs: g.refs("buildInputs"),
      nativeBuildInputs: g.refs("nativeBuildInputs"),
      hooks: hooks(g, GO_HOOKS),
      static: g.has("static") ? toStatic(g.child("static")) : null,
    };
  }
  if (r.has("stdenv")) {
    const s = r.child("stdenv");
    return {
      builder: "stdenv",
      buildInputs: s.refs("buildInputs"),
      nativeBuildInputs: s.refs("nativeBuildInputs"),
      outputs: s.has("outputs") ? s.strings("outputs") : ["out"],
      phases: s.strings("phases"),
      hooks: hooks(s, STDENV_HOOKS),
      makeFlags: s.strings("makeFlags"),
      dontStrip: s.optBool("dontStrip"),
    };
  }
  if (r.has("override")) {
    const o = r.child("override");
    return {
      builder: "override",
      package: o.ref("package"),
      patches: o.list("patches").map((p) => ({ url: p.str("url"), sha256: p.str("sha256") })),
      buildInputs: o.refs("buildInputs"),
    };
  }
  if (r.has("bundler")) {
    const b = r.child("bundler");
    const gems = b.list("gems").map((g) => ({
      name: g.str("name"),
      version: g.str("version"),
      sha256: g.str("sha256"),
      dependencies: g.strings("dependencies"),
      remote: g.optStr("remote") ?? "https://rubygems.org",
    }));
    checkNamesWithin(b, "gems", gems, "dependencies", "gem");
    const gemfile = b.str("gemfile");
    const gemfileDependencies = parseGemfile(gemfile);
    const gemNames = gems.map((g) => g.name);
    for (const dep of gemfileDependencies) {
      if (!gemNames.includes(dep.name)) {
        b.ctx.diagnostics.push(unknownName(b, b.at("gemfile"), dep.name, gemNames, "gem"));
      }
    }
    return {
      builder: "bundler",
      ruby: b.has("ruby") ? b.ref("ruby") : { ref: ["pkgs", "ruby"] },
      gemfile,
      gemfileDependencies,
      gems,
      gemConfig: b.entries("gemConfig").map(([gem]) => {
        const c = b.child("gemConfig").child(gem);
        return { gem, dontStrip: c.optBool("dontStrip"), buildInputs: c.refs("buildInputs") };
      }),
      exes: b.strings("exes"),
    };
  }
  const p = r.child("python");
  const packages = p.list("packages").map((x) => ({
    name: x.str("name"),
    version: x.str("version"),
    url: x.str("url"),
    sha256: x.str("sha256"),
    propagates: x.strings("propagates"),
    doCheck: x.bool("doCheck", false),
  }));
  checkNamesWithin(p, "packages", packages, "propagates", "Python package");
  if (!packages.some((x) => x.name === p.str("main"))) {
    p.ctx.diagnostics.push(
      unknownName(
        p,
        p.at("main"),
        p.str("main"),
        packages.map((x) => x.name),
        "Python package",
      ),
    );
  }
  return {
    builder: "python",
    interpreter: p.has("interpreter") ? p.ref("interpreter") : { ref: ["pkgs", "python27Full"] },
    main: p.str("main"),
    buildInputs: p.refs("buildInputs"),
    packages,
  };
}

/** The `gem 'name', 'requirement', ...` lines of a Gemfile (options such as `require:` ignored). */
export function parseGemfile(text: string): GemfileDependency[] {
  const quoted = /^\s*,\s*(['"])([^'"]*)\1/;
  return text.split("\n").flatMap((line) => {
    const head = /^\s*gem\s*\(?\s*(['"])([^'"]+)\1/.exec(line);
    if (head === null) return [];
    const requirements: string[] = [];
    let rest = line.slice(head[0].length);
    for (let m = quoted.exec(rest); m !== null; m = quoted.exec(rest)) {
      requirements.push(m[2]!);
      rest = rest.slice(m[0].length);
    }
    return [{ name: head[2]!, requirements }];
  });
}

function toStatic(r: Reader): NonNullable<GoBuild["static"]> {
  return {
    buildInputs: r.refs("buildInputs"),
    libraries: r.strings("libraries").map((l, i) => template(l, [...r.at("libraries"), i], r.ctx)),
  };
}

/** Dependencies between items of one list (gems, Python packages) must name items of the list. */
function checkNamesWithin<K extends string>(
  r: Reader,
  listKey: string,
  items: readonly ({ readonly name: string } & Readonly<Record<K, readonly string[]>>)[],
  depsKey: K,
  what: string,
): void {
  const names = items.map((i) => i.name);
  items.forEach((item, i) => {
    item[depsKey].forEach((dep, j) => {
      if (names.includes(dep)) return;
      r.ctx.diagnostics.push(unknownName(r, [...r.at(listKey), i, depsKey, j], dep, names, what));
    });
  });
  const cycle = findCycle(names, (n) => {
    const item = items.find((i) => i.name === n)!;
    return item[depsKey].filter((d) => names.includes(d));
  });
  if (cycle !== undefined) {
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        [...r.at(listKey), names.indexOf(cycle[0]!), depsKey],
        "dependency/cycle",
        `${what}s depend on each other in a cycle: ${cycle.join(" -> ")}`,
      ),
    );
  }
}

function unknownName(
  r: Reader,
  path: FieldPath,
  name: string,
  names: readonly string[],
  what: string,
): Diagnostic {
  const suggestion = didYouMean(name, names);
  return error(
    r.ctx.v,
    path,
    "dependency/unknown",
    `expected the name of a ${what} of this list, found ${JSON.stringify(name)}`,
    suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
  );
}

/** Exactly one of `keys` must be present (for choices the schema cannot express readably). */
function exactlyOne(r: Reader, keys: readonly string[]): string | undefined {
  const present = keys.filter((k) => r.has(k));
  if (present.length === 1) return present[0];
  r.ctx.diagnostics.push(
    error(
      r.ctx.v,
      present.length === 0 ? r.path : r.at(present[1]!),
      "schema/one-of",
      `expected exactly one of ${keys.join(", ")}, found ${present.length === 0 ? "none" : present.join(" and ")}`,
    ),
  );
  return present[0];
}

function toTool(r: Reader, common: Common): Tool {
  const which = exactlyOne(r, ["script", "ubuntuVm", "nixFile"]);
  if (which === "nixFile") {
    return { ...common, kind: "tool", tool: { type: "nixFile", ...toNixCode(r, common) } };
  }
  if (which === "ubuntuVm") {
    return {
      ...common,
      kind: "tool",
      tool: { type: "ubuntuVm", debianPackages: r.child("ubuntuVm").refs("debianPackages") },
    };
  }
  const s = r.child("script");
  const files = s.entries("files").map(([path]) => ({
    path,
    text: s.child("files").text(path),
  }));
  return {
    ...common,
    kind: "tool",
    tool: {
      type: "script",
      program: s.str("program"),
      text: s.has("text") ? s.text("text", { selfFiles: files.length > 0 }) : [],
      runtimeInputs: s.refs("runtimeInputs"),
      files,
    },
  };
}

/** `nixFile`, `nixImports` and `arguments` of a test or a tool, paths made repository-relative. */
function toNixCode(r: Reader, common: Common): NixCode {
  const dir = common.source.slice(0, common.source.lastIndexOf("/"));
  return {
    nixFile: `${dir}/${r.str("nixFile").slice(2)}`,
    nixImports: r.strings("nixImports").map((f) => `${dir}/${f.slice(2)}`),
    arguments: r
      .entries("arguments")
      .map(([name]) => ({ name, value: r.child("arguments").ref(name) })),
  };
}

function toTest(r: Reader, common: Common): Test {
  return {
    ...common,
    kind: "test",
    ...toNixCode(r, common),
    images: r.entries("images").map(([name]) => {
      if (r.child("arguments").has(name)) {
        r.ctx.diagnostics.push(
          error(
            r.ctx.v,
            ["images", name],
            "test/duplicate-argument",
            `${name} is both an image and an argument of the test`,
            "rename the image or the argument",
          ),
        );
      }
      const image = toDockerImage(r.child("images").child(name), {
        ...common,
        attrPath: [...common.attrPath, name],
        description: r.child("images").child(name).optStr("description"),
      });
      return { name, image };
    }),
  };
}

function toPulledImage(r: Reader, common: Common): PulledImage {
  return {
    ...common,
    kind: "pulledImage",
    imageName: r.str("imageName"),
    imageTag: r.str("imageTag"),
    sha256: r.str("sha256"),
    digest: r.optStr("digest"),
    digestSha256: r.optStr("digestSha256"),
  };
}

function toDockerImage(r: Reader, common: Common): DockerImage {
  const data = r.data;
  const fromImage =
    data.fromImage === null ? null : r.has("fromImage") ? r.ref("fromImage") : useDefaultParent(r);
  for (const [key] of r.entries("files")) r.ctx.imageFiles.add(key);
  const files = toImageFiles(r);
  const services = r.list("services").map(toService);
  checkServices(services, r);
  const c = r.child("config");
  const config = {
    cmd: c.has("cmd") ? c.strings("cmd").map((_, i) => c.child("cmd").text(String(i))) : null,
    env: c.entries("env").map(([k]) => [k, c.child("env").text(k)] as const),
    workingDir: c.optStr("workingDir"),
    exposedPorts: c.strings("exposedPorts"),
    volumes: c.strings("volumes"),
  };
  if (services.length === 0 && config.cmd === null) {
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        r.path,
        "image/no-command",
        "an image without services needs config.cmd, the command it starts",
        "add services, or config: { cmd: [ ... ] }",
      ),
    );
  }
  return {
    ...common,
    kind: "dockerImage",
    imageName: r.str("imageName"),
    fromImage,
    builder: (r.optStr("builder") ?? "buildImage") as DockerImage["builder"],
    push: r.bool("push", true),
    services,
    contents: r.refs("contents"),
    files,
    extraCommands: r.optText("extraCommands"),
    runAsRoot: r.optText("runAsRoot"),
    config,
  };
}

/** The image's store files; a file referring to itself, directly or not, cannot be built. */
function toImageFiles(r: Reader): ImageFile[] {
  const files = r.child("files");
  const result = Object.keys(files.data).map((key): ImageFile => {
    const f = files.child(key);
    const which = exactlyOne(f, ["text", "url"]);
    return {
      key,
      name: f.str("name"),
      content:
        which === "url"
          ? { type: "url", url: f.str("url"), sha256: f.optStr("sha256") ?? "" }
          : {
              type: "text",
              text: f.has("text") ? f.text("text") : [],
              executable: f.bool("executable", false),
            },
    };
  });
  const uses = (file: ImageFile): string[] =>
    file.content.type === "text"
      ? file.content.text.flatMap((p) =>
          typeof p !== "string" && p.ref[0] === "self" && p.ref[1] === "files" ? [p.ref[2]!] : [],
        )
      : [];
  const byKey = new Map(result.map((f) => [f.key, f]));
  const cycle = findCycle(
    result.map((f) => f.key),
    (key) => uses(byKey.get(key)!).filter((k) => byKey.has(k)),
  );
  if (cycle !== undefined) {
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        [...files.path, cycle[0]!, "text"],
        "image/file-cycle",
        `image files refer to each other in a cycle: ${cycle.join(" -> ")}`,
        "a file can only name files that do not name it back",
      ),
    );
  }
  return result;
}

function useDefaultParent(r: Reader): PackageRef {
  const name = refName(DEFAULT_PARENT_IMAGE);
  if (!r.ctx.known.has(name)) {
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        r.path,
        "ref/unknown",
        `the default parent image ${name} does not exist`,
        "add packages/dockerImages/pulled/kubernetesBaseImage.yaml or set fromImage",
      ),
    );
  }
  r.ctx.refs.push({ ref: DEFAULT_PARENT_IMAGE, path: r.path, text: "" });
  return DEFAULT_PARENT_IMAGE;
}

function toService(s: Reader): Service {
  const configFiles = s.list("configFiles").map(toConfigFile);
  if (!s.has("command") && configFiles.length === 0) {
    s.ctx.diagnostics.push(
      error(
        s.ctx.v,
        s.path,
        "service/no-command",
        `service ${JSON.stringify(s.str("name"))} needs a command (or configFiles, to run consul-template itself)`,
      ),
    );
  }
  return {
    name: s.str("name"),
    command: s.optText("command"),
    user: (s.optStr("user") ?? "nobody") as Service["user"],
    preStart: s.optText("preStart"),
    configFiles,
    consulTemplateFlags: s.strings("consulTemplateFlags"),
    consulTemplateWrapper: s.optStr("consulTemplateWrapper") ?? "consul-template-wrapper",
    templateFlagForm: (s.optStr("templateFlagForm") ?? "space") as Service["templateFlagForm"],
    renderConfigFiles: (s.optStr("renderConfigFiles") ??
      "beforePreStart") as Service["renderConfigFiles"],
    environmentFile: s.optStr("environmentFile"),
    chdir: s.optText("chdir"),
    oneShot: s.bool("oneShot", false),
    after: s.strings("after"),
    fluentd: s.has("fluentd") ? toFluentd(s.child("fluentd")) : null,
  };
}

function toConfigFile(f: Reader): ConfigFile {
  const destination = f.str("destination");
  const which = exactlyOne(f, ["template", "ini"]);
  const ini = f.child("ini");
  return {
    destination,
    name: f.optStr("name") ?? `${destination.slice(destination.lastIndexOf("/") + 1)}.ctmpl`,
    content:
      which === "ini"
        ? { type: "ini", header: ini.strings("header"), sections: toIniSections(ini) }
        : { type: "template", text: f.has("template") ? f.text("template") : [] },
    check: { yaml: checkYaml(f), mock: f.child("check").data.mock ?? null },
  };
}

/** Checking a template as YAML renders it with the set's consulTemplateMock. */
function checkYaml(f: Reader): boolean {
  const yaml = f.child("check").bool("yaml", false);
  if (yaml && isKnown("consulTemplateMock", f.ctx.known)) {
    f.ctx.refs.push({ ref: { ref: ["consulTemplateMock"] }, path: f.at("check"), text: "" });
  } else if (yaml) {
    f.ctx.diagnostics.push(
      error(
        f.ctx.v,
        f.at("check"),
        "config/check-package",
        "checking a template as YAML needs the package consulTemplateMock in this set, and there is none",
        "add packages/consulTemplateMock.yaml",
      ),
    );
  }
  return yaml;
}

/** Sections and keys sorted, as nixpkgs' toINI prints them. */
function toIniSections(ini: Reader): IniSection[] {
  const sections = ini.child("sections");
  return Object.keys(sections.data)
    .map((name) => {
      const keys = sections.child(name).child("keys");
      const entries = Object.entries(keys.data).map(([key, value]) => {
        const rendered = typeof value === "string" ? keys.text(key) : (value as number | boolean);
        return [key, rendered] as const;
      });
      return { name, keys: entries.sort(([a], [b]) => compareText(a, b)) };
    })
    .sort((a, b) => compareText(a.name, b.name));
}

/** Packages of this set that images with fluentd use: fluentd itself and the wait-for tool. */
export const FLUENTD_PACKAGES = ["fluentdCw", "waitFor"] as const;

function toFluentd(f: Reader): Fluentd {
  for (const name of FLUENTD_PACKAGES) {
    if (isKnown(name, f.ctx.known)) {
      f.ctx.refs.push({ ref: { ref: [name] }, path: f.path, text: "" });
    } else {
      f.ctx.diagnostics.push(
        error(
          f.ctx.v,
          f.path,
          "image/fluentd-package",
          `a service with fluentd needs the package ${name} in this set, and there is none`,
          `add packages/${name}.yaml`,
        ),
      );
    }
  }
  return {
    source: f.data.source as FluentdDirective,
    filters: (f.data.filters as FluentdDirective[] | undefined) ?? [],
  };
}

/** Service names unique; `after` names existing, not the service itself, and without cycles. */
function checkServices(services: readonly Service[], r: Reader): void {
  const names = services.map((s) => s.name);
  const report = (path: FieldPath, code: string, message: string, hint?: string) =>
    r.ctx.diagnostics.push(error(r.ctx.v, [...r.path, ...path], code, message, hint));
  services.forEach((s, i) => {
    if (s.name === "fluentd" && services.some((x) => x.fluentd !== null)) {
      report(
        ["services", i, "name"],
        "service/reserved-name",
        `"fluentd" is the name of the log service added to images whose services use fluentd`,
      );
    }
    if (names.indexOf(s.name) !== i) {
      report(
        ["services", i, "name"],
        "service/duplicate",
        `service ${JSON.stringify(s.name)} is defined twice in this image`,
      );
    }
    s.after.forEach((dep, j) => {
      const path = ["services", i, "after", j];
      if (dep === s.name) {
        report(
          path,
          "service/after-self",
          `service ${JSON.stringify(s.name)} cannot start after itself`,
        );
      } else if (!names.includes(dep)) {
        const suggestion = didYouMean(dep, names);
        report(
          path,
          "service/unknown-after",
          `expected the name of a service of this image (${names.join(", ")}), found ${JSON.stringify(dep)}`,
          suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
        );
      }
    });
  });
  // A service waiting for itself is reported above as after-self.
  const waitsFor = (n: string) =>
    (services.find((s) => s.name === n)?.after ?? []).filter((d) => d !== n);
  const cycle = findCycle(names, waitsFor);
  if (cycle !== undefined) {
    report(
      ["services", names.indexOf(cycle[0]!), "after"],
      "service/after-cycle",
      `services wait for each other in a cycle: ${cycle.join(" -> ")}`,
    );
  }
}

function toDebianPackage(r: Reader, common: Common): DebianPackage {
  const scripts = r.child("maintainerScripts");
  return {
    ...common,
    kind: "debianPackage",
    packageName: r.str("packageName"),
    version: r.str("version"),
    repository: r.optStr("repository") ?? r.str("packageName"),
    contents: r.refs("contents"),
    maintainerScripts: ["preinst", "postinst", "prerm", "postrm"]
      .filter((n) => scripts.has(n))
      .map((name) => ({ name, text: scripts.text(name) })),
    files: r.list("files").map((f) => ({
      path: f.str("path"),
      text: f.text("text"),
      executable: f.bool("executable", false),
    })),
    layout: r.optText("layout"),
  };
}

function toContrailPackageSet(r: Reader, common: Common): ContrailPackageSet {
  const upstream = r.child("upstream");
  return {
    ...common,
    kind: "contrailPackageSet",
    upstream: {
      entry: upstream.optStr("entry") ?? "all-packages.nix",
      version: upstream.str("version"),
    },
    sourceOverrides: r
      .entries("sourceOverrides")
      .map(([key]) => ({ key, github: toGitHub(r.child("sourceOverrides").child(key)) })),
    outputHashes: r
      .entries("outputHashes")
      .map(([attribute, sha256]) => ({ attribute, sha256: sha256 as string })),
    expose: r.strings("expose"),
    vrouterModules: r
      .entries("vrouterModules")
      .map(([name]) => ({ name, kernelHeaders: r.child("vrouterModules").ref(name) })),
  };
}

function toPins(v: ValidDescriptor): Pins {
  const data = v.value as Data;
  const gh = (key: string) =>
    toGitHub(
      new Reader(
        { v, known: new Set(), diagnostics: [], refs: [], imageFiles: new Set() },
        data[key] as Data,
        [key],
      ),
    );
  return { source: v.parsed.file.path, nixpkgs: gh("nixpkgs"), contrail: gh("contrail") };
}

function toHydraProject(v: ValidDescriptor): HydraProject {
  const r = new Reader(
    { v, known: new Set(), diagnostics: [], refs: [], imageFiles: new Set() },
    v.value as Data,
    [],
  );
  const defaults = r.child("defaults");
  const jobsets = r.child("jobsets");
  const pr = r.child("pullRequests");
  return {
    source: v.parsed.file.path,
    name: v.parsed.file.attrPath[v.parsed.file.attrPath.length - 1]!,
    project: r.str("project"),
    displayName: r.str("displayName"),
    description: r.optStr("description"),
    repository: {
      url: r.child("repository").str("url"),
      branch: r.child("repository").optStr("branch") ?? "master",
    },
    nixpkgs: { url: r.child("nixpkgs").str("url"), rev: r.child("nixpkgs").str("rev") },
    enableemail: defaults.bool("enableemail", false),
    emailoverride: defaults.optStr("emailoverride") ?? "",
    defaults: {
      keepnr: defaults.num("keepnr", 1),
      checkinterval: defaults.num("checkinterval", 60),
      schedulingshares: defaults.num("schedulingshares", 100),
    },
    jobsets: Object.keys(jobsets.data).map((name) => {
      const j = jobsets.child(name);
      return {
        name,
        description: j.str("description"),
        branch: j.optStr("branch") ?? "master",
        keepnr: j.num("keepnr", defaults.num("keepnr", 1)),
        checkinterval: j.num("checkinterval", defaults.num("checkinterval", 60)),
        schedulingshares: j.num("schedulingshares", defaults.num("schedulingshares", 100)),
        inputs: j.entries("inputs").map(([input, value]) => {
          const [type, v] = Object.entries(value as Data)[0]!;
          return {
            name: input,
            type: type as "boolean" | "string" | "git",
            value: v as string | boolean,
          };
        }),
      };
    }),
    pullRequests: r.has("pullRequests")
      ? {
          owner: pr.str("owner"),
          repo: pr.str("repo"),
          checkinterval: pr.num("checkinterval", 30),
          schedulingshares: pr.num("schedulingshares", 20),
          keepnr: pr.num("keepnr", 1),
        }
      : null,
  };
}

/** The hand-written Nix code of a test or of a tool made of a Nix file. */
function nixCodeOf(p: Package): NixCode | null {
  if (p.kind === "test") return p;
  if (p.kind === "tool" && p.tool.type === "nixFile") return p.tool;
  return null;
}

/**
 * The hand-written file of a test or a tool must exist beside it; every .nix file must be named
 * by one of them.
 */
function checkNixFiles(
  descriptors: readonly ValidDescriptor[],
  nixFiles: readonly string[],
  packages: readonly Package[],
  diagnostics: Diagnostic[],
): void {
  const named = new Set<string>();
  for (const pkg of packages) {
    const p = nixCodeOf(pkg);
    if (p === null) continue;
    named.add(p.nixFile);
    p.nixImports.forEach((file, i) => {
      named.add(file);
      if (nixFiles.includes(file)) return;
      const v = descriptors.find((d) => d.parsed.file.path === pkg.source)!;
      diagnostics.push(
        error(v, ["nixImports", i], "nixfile/missing", `expected a file ${file}, found none`),
      );
    });
    if (nixFiles.includes(p.nixFile)) continue;
    const v = descriptors.find((d) => d.parsed.file.path === pkg.source)!;
    const beside = nixFiles.filter((f) =>
      f.startsWith(pkg.source.slice(0, pkg.source.lastIndexOf("/") + 1)),
    );
    const suggestion = didYouMean(p.nixFile, beside);
    diagnostics.push(
      error(
        v,
        ["nixFile"],
        "nixfile/missing",
        `expected a file ${p.nixFile} beside the descriptor, found none`,
        suggestion === undefined
          ? undefined
          : `did you mean ./${suggestion.slice(suggestion.lastIndexOf("/") + 1)}?`,
      ),
    );
  }
  for (const file of nixFiles) {
    if (named.has(file)) continue;
    diagnostics.push({
      severity: "error",
      code: "path/unused-nix-file",
      file,
      line: 0,
      column: 0,
      length: 0,
      field: "",
      message:
        "a .nix file under packages/ must be named by a descriptor beside it (nixFile: ./<file>.nix)",
    });
  }
}

/** Parse `${{ ref }}` references in a descriptor string and check each one exists. */
function template(text: string, path: FieldPath, ctx: Context, scope: RefScope = {}): Template {
  const parts: (string | PackageRef)[] = [];
  let literal = "";
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    literal += text.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[0] === "$${{") {
      literal += "${{";
      continue;
    }
    if (match[1] === undefined) {
      ctx.diagnostics.push(
        error(
          ctx.v,
          path,
          "ref/unterminated",
          "expected `}}` to close the reference started by `${{`",
          "write $${{ for a literal ${{",
          "${{",
        ),
      );
      continue;
    }
    const name = match[1].trim();
    if (!ATTR_PATH.test(name)) {
      ctx.diagnostics.push(
        error(
          ctx.v,
          path,
          "ref/syntax",
          `expected an attribute path such as locksmith or pkgs.redis inside ${match[0]}`,
          undefined,
          match[0],
        ),
      );
      continue;
    }
    checkReference(name, path, match[0], ctx, scope);
    if (literal !== "") parts.push(literal);
    literal = "";
    const ref = { ref: name.split(".") };
    if (ref.ref[0] !== "self") ctx.refs.push({ ref, path, text: match[0] });
    parts.push(ref);
  }
  literal += text.slice(last);
  if (literal !== "") parts.push(literal);
  return parts;
}

/** A field that holds exactly one reference, e.g. `fromImage: ${{ dockerImages.pulled.x }}`. */
function wholeReference(text: string, path: FieldPath, ctx: Context): PackageRef {
  const parts = template(text, path, ctx);
  const only = parts[0];
  return parts.length === 1 && typeof only !== "string" && only !== undefined ? only : { ref: [] };
}

function checkReference(
  name: string,
  path: FieldPath,
  written: string,
  ctx: Context,
  scope: RefScope,
): void {
  const report = (code: string, message: string, hint?: string) =>
    ctx.diagnostics.push(error(ctx.v, path, code, message, hint, written));
  const [head, second] = name.split(".");
  if (head === "pkgs") {
    if (second !== undefined && NIXPKGS_ATTRIBUTES.has(second)) return;
    const suggestion = second === undefined ? undefined : didYouMean(second, NIXPKGS_ATTRIBUTES);
    report(
      "ref/unknown-nixpkgs",
      second === undefined
        ? "expected pkgs.<name>, a package of nixpkgs"
        : `unknown nixpkgs package ${second}`,
      suggestion === undefined
        ? "if nixpkgs has it, add it to generator/nixpkgs-attributes.ts"
        : `did you mean \${{ pkgs.${suggestion} }}?`,
    );
    return;
  }
  if (head === "args") {
    report(
      "ref/args-outside-fragment",
      `${written} is a fragment parameter; it can only be used inside packages/fragments/`,
    );
    return;
  }
  if (head === "self") {
    if (name === "self.files" && scope.selfFiles === true) return;
    const [, files, key, ...rest] = name.split(".");
    if (files === "files" && key !== undefined && rest.length === 0 && ctx.imageFiles.has(key)) {
      return;
    }
    const suggestion =
      files === "files" && key !== undefined ? didYouMean(key, ctx.imageFiles) : undefined;
    report(
      "ref/self",
      `${written} is not available here; \${{ self.files }} is the files directory of a tool script that has files, \${{ self.files.<key> }} a file of the image's files`,
      suggestion === undefined ? undefined : `did you mean \${{ self.files.${suggestion} }}?`,
    );
    return;
  }
  if (isKnown(name, ctx.known)) return;
  const isSet = [...ctx.known].some((k) => k.startsWith(`${name}.`));
  const suggestion = didYouMean(name, ctx.known);
  report(
    "ref/unknown",
    isSet
      ? `${name} is a set of packages, not a package; reference one of its members`
      : `unknown package ${name}; expected a package of this set or pkgs.<name> for nixpkgs`,
    suggestion === undefined ? undefined : `did you mean \${{ ${suggestion} }}?`,
  );
}

/** Packages referring to each other in a loop cannot be built. */
function checkCycles(
  descriptors: readonly ValidDescriptor[],
  refs: ReadonlyMap<string, Context["refs"]>,
  diagnostics: Diagnostic[],
): void {
  const owner = (r: PackageRef) => {
    for (let i = r.ref.length; i > 0; i--) {
      const name = r.ref.slice(0, i).join(".");
      if (refs.has(name)) return name;
    }
    return undefined;
  };
  const edges = (name: string) =>
    (refs.get(name) ?? []).flatMap((r) => {
      const target = owner(r.ref);
      return target === undefined ? [] : [target];
    });
  const cycle = findCycle([...refs.keys()].sort(), edges);
  if (cycle === undefined) return;
  const from = descriptors.find((v) => v.parsed.file.attrPath.join(".") === cycle[0])!;
  const written = refs.get(cycle[0]!)!.find((r) => owner(r.ref) === cycle[1]);
  diagnostics.push(
    error(
      from,
      written?.path ?? [],
      "ref/cycle",
      `packages refer to each other in a cycle: ${cycle.join(" -> ")}`,
      undefined,
      written?.text || undefined,
    ),
  );
}

/** The first cycle found by depth-first search, as a closed path `a -> b -> a`. */
export function findCycle(
  nodes: readonly string[],
  edges: (node: string) => readonly string[],
): string[] | undefined {
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "active") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "active");
    stack.push(node);
    for (const next of edges(node)) {
      const found = visit(next);
      if (found !== undefined) return found;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of nodes) {
    const found = visit(node);
    if (found !== undefined) return found;
  }
  return undefined;
}
