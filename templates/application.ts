// Template of the `application` kind: a Go program (through cwLib.buildGo, which picks the Go
// builder of the nixpkgs given), a stdenv build from its pinned source, a Ruby bundle
// (cwLib.bundlerEnv, with the gemset and Gemfile.lock written here) or a Python application and
// its pinned closure (cwLib.pythonClosure).

import { posix } from "node:path";
import {
  nix,
  type Binding,
  type Expr,
  type NixFile,
  type StringPart,
} from "../generator/nix/index.ts";
import type {
  Application,
  BundlerBuild,
  GoBuild,
  OverrideBuild,
  PackageRef,
  PythonBuild,
  StdenvBuild,
  Template,
} from "../generator/model.ts";
import {
  fetcherOf,
  generatedHeader,
  packageFile,
  refExpr,
  refHeads,
  srcExpr,
  textParts,
} from "./common.ts";

/**
 * The go2nix dependency file of each Go program with deps, by program. Programs with the same deps
 * (a program and its variant, from one fragment) share one file, named after the first of them.
 */
export function goDepsFiles(apps: readonly Application[]): Map<Application, string> {
  const byDeps = new Map<string, string>();
  const files = new Map<Application, string>();
  for (const app of apps) {
    if (app.build.builder !== "go" || app.build.deps.length === 0) continue;
    const key = JSON.stringify(app.build.deps);
    if (!byDeps.has(key)) byDeps.set(key, `${app.attrPath.join("/")}-deps.nix`);
    files.set(app, byDeps.get(key)!);
  }
  return files;
}

/** The application's file; a Go program reads its deps from `depsFile` (generated/-relative). */
export function emitApplication(app: Application, depsFile?: string): NixFile {
  switch (app.build.builder) {
    case "go":
      return emitGo(app, app.build, depsFile);
    case "stdenv":
      return emitStdenv(app, app.build);
    case "bundler":
      return emitBundler(app, app.build);
    case "python":
      return emitPython(app, app.build);
    case "override":
      return emitOverride(app, app.build);
  }
}

/** `<package>.overrideAttrs`: the package's own patches and build inputs, then these. */
function emitOverride(app: Application, build: OverrideBuild): NixFile {
  const old = (name: string) => nix.select(nix.ident("old"), name, nix.list([]));
  const bindings: Binding[] = [];
  if (build.patches.length > 0) {
    const patches = build.patches.map((p) =>
      nix.call(
        nix.ident("fetchpatch"),
        nix.attrs([nix.bind("url", nix.string(p.url)), nix.bind("sha256", nix.string(p.sha256))]),
      ),
    );
    bindings.push(nix.bind("patches", nix.binary("++", old("patches"), nix.list(patches))));
  }
  if (build.buildInputs.length > 0) {
    bindings.push(
      nix.bind(
        "buildInputs",
        nix.binary("++", old("buildInputs"), nix.list(build.buildInputs.map(refExpr))),
      ),
    );
  }
  const body = nix.call(
    nix.ref([...build.package.ref, "overrideAttrs"].join(".")),
    nix.lambda("old", nix.attrs(bindings)),
  );
  const args = [
    build.package.ref[0]!,
    ...(build.patches.length > 0 ? ["fetchpatch"] : []),
    ...build.buildInputs.map((r) => r.ref[0]!),
  ];
  return packageFile(app.source, args, body);
}

/** The bundix gemset of a Ruby bundle, beside its package file; undefined for other builds. */
export const gemsetPath = (app: Application): string | undefined =>
  app.build.builder === "bundler" ? `${app.attrPath.join("/")}-gemset.nix` : undefined;

const fullName = (app: Application) =>
  app.version === null ? app.pname : `${app.pname}-${app.version}`;

/** `meta`: the description, then the other metadata; licences from `lib.licenses`, maintainers
 * as `{ github = "<handle>"; }` (they need not be nixpkgs maintainers). */
function metaBindings(app: Application): Binding[] {
  const { homepage, license, platforms, maintainers } = app.meta;
  const bindings: Binding[] = [];
  if (app.description !== null) {
    bindings.push(nix.bind("meta.description", nix.string(app.description)));
  }
  if (homepage !== null) bindings.push(nix.bind("meta.homepage", nix.string(homepage)));
  if (license !== null) bindings.push(nix.bind("meta.license", nix.ref(`lib.licenses.${license}`)));
  if (platforms.length > 0) bindings.push(nix.bind("meta.platforms", stringList(platforms)));
  if (maintainers.length > 0) {
    const handles = maintainers.map((m) => nix.attrs([nix.bind("github", nix.string(m))]));
    bindings.push(nix.bind("meta.maintainers", nix.list(handles)));
  }
  return bindings;
}

/** The callPackage arguments the metadata needs. */
const metaArgs = (app: Application): string[] => (app.meta.license === null ? [] : ["lib"]);

function emitGo(app: Application, go: GoBuild, deps: string | undefined): NixFile {
  if (app.src === null) throw new Error(`${app.source}: a Go program needs a source`);
  const bindings: Binding[] = [
    nix.bind("pname", nix.string(app.pname)),
    nix.bind("version", app.version === null ? nix.null() : nix.string(app.version)),
    nix.bind("goPackagePath", nix.string(go.packagePath)),
    nix.bind("src", srcExpr(app.src)),
  ];
  if (go.goVersion !== "default") bindings.push(nix.bind("goVersion", nix.string(go.goVersion)));
  if (deps !== undefined) {
    const from = posix.dirname(app.attrPath.join("/"));
    const relative = posix.relative(from, deps);
    bindings.push(
      nix.bind("goDeps", nix.path(relative.startsWith(".") ? relative : `./${relative}`)),
    );
  }
  const ldflags: Expr[] = go.ldflags.map((v) => nix.string(v));
  if (go.static !== null) ldflags.push(nix.string(extldflags(go.static.libraries)));
  if (ldflags.length > 0) bindings.push(nix.bind("ldflags", nix.list(ldflags)));
  const lists: [string, readonly string[]][] = [
    ["subPackages", go.subPackages],
    ["excludedPackages", go.excludedPackages],
  ];
  for (const [name, values] of lists) {
    if (values.length > 0) bindings.push(nix.bind(name, stringList(values)));
  }
  const extra = [...buildInputBindings(go), ...hookBindings(go.hooks), ...metaBindings(app)];
  if (go.outputs.length > 0) extra.push(nix.bind("outputs", stringList(go.outputs)));
  if (extra.length > 0) bindings.push(nix.bind("extraArgs", nix.attrs(extra)));
  const body = nix.call(nix.select(nix.ident("cwLib"), "buildGo"), nix.attrs(bindings));
  return packageFile(
    app.source,
    ["cwLib", fetcherOf(app.src), ...buildArgs(go), ...metaArgs(app)],
    body,
  );
}

/** `-extldflags "-static <archive>..."`: the external linker links these archives statically. */
function extldflags(libraries: readonly Template[]): StringPart[] {
  const parts: StringPart[] = ['-extldflags "-static'];
  for (const library of libraries) parts.push(" ", ...textParts(library));
  parts.push('"');
  return parts;
}

function emitStdenv(app: Application, build: StdenvBuild): NixFile {
  const bindings: Binding[] = [nix.bind("name", nix.string(fullName(app)))];
  if (app.src !== null) {
    bindings.push(nix.bind(app.src.type === "urls" ? "srcs" : "src", srcExpr(app.src)));
  }
  bindings.push(...buildInputBindings(build));
  if (build.outputs.length > 0) bindings.push(nix.bind("outputs", stringList(build.outputs)));
  if (build.phases.length > 0) bindings.push(nix.bind("phases", stringList(build.phases)));
  if (build.makeFlags.length > 0) bindings.push(nix.bind("makeFlags", stringList(build.makeFlags)));
  if (build.dontStrip !== null) bindings.push(nix.bind("dontStrip", nix.bool(build.dontStrip)));
  bindings.push(...hookBindings(build.hooks), ...metaBindings(app));
  const body = nix.call(nix.select(nix.ident("stdenv"), "mkDerivation"), nix.attrs(bindings));
  const fetcher = app.src === null ? [] : [fetcherOf(app.src)];
  return packageFile(
    app.source,
    ["stdenv", ...fetcher, ...buildArgs(build), ...metaArgs(app)],
    body,
  );
}

function emitBundler(app: Application, build: BundlerBuild): NixFile {
  const gemset = gemsetPath(app)!;
  const gemConfig = build.gemConfig.map((c) => {
    const settings: Binding[] = [];
    if (c.dontStrip !== null) settings.push(nix.bind("dontStrip", nix.bool(c.dontStrip)));
    if (c.buildInputs.length > 0) {
      settings.push(nix.bind("buildInputs", nix.list(c.buildInputs.map(refExpr))));
    }
    return nix.bind([c.gem], nix.attrs(settings));
  });
  const bindings: Binding[] = [
    nix.bind("pname", nix.string(app.pname)),
    nix.bind("ruby", refExpr(build.ruby)),
    nix.bind("gemfile", nix.string(build.gemfile, "indented")),
    nix.bind("lockfile", nix.string(gemfileLock(build), "indented")),
    nix.bind("gemset", nix.path(`./${gemset.slice(gemset.lastIndexOf("/") + 1)}`)),
  ];
  if (gemConfig.length > 0) bindings.push(nix.bind("gemConfig", nix.attrs(gemConfig)));
  if (build.exes.length > 0) bindings.push(nix.bind("exes", stringList(build.exes)));
  bindings.push(...metaBindings(app));
  const body = nix.call(nix.select(nix.ident("cwLib"), "bundlerEnv"), nix.attrs(bindings));
  const args = [
    "cwLib",
    build.ruby.ref[0]!,
    ...build.gemConfig.flatMap((c) => c.buildInputs.map((r) => r.ref[0]!)),
    ...metaArgs(app),
  ];
  return packageFile(app.source, args, body);
}

/**
 * The Gemfile.lock bundler would write for the gems: one GEM section per remote with every gem
 * and the names of its dependencies, the platform, and the Gemfile's own dependencies.
 */
export function gemfileLock(build: BundlerBuild): string {
  const byName = (a: { name: string }, b: { name: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  const remotes = [...new Set(build.gems.map((g) => g.remote))].sort();
  const sections = remotes.map((remote) => {
    const specs = build.gems
      .filter((g) => g.remote === remote)
      .sort(byName)
      .flatMap((g) => [
        `    ${g.name} (${g.version})`,
        ...[...g.dependencies].sort().map((d) => `      ${d}`),
      ]);
    const url = remote.endsWith("/") ? remote : `${remote}/`;
    return ["GEM", `  remote: ${url}`, "  specs:", ...specs, ""].join("\n");
  });
  const dependencies = [...build.gemfileDependencies]
    .sort(byName)
    .map((d) =>
      d.requirements.length === 0 ? `  ${d.name}` : `  ${d.name} (${d.requirements.join(", ")})`,
    );
  return [...sections, "PLATFORMS", "  ruby", "", "DEPENDENCIES", ...dependencies, ""].join("\n");
}

/** bundix's gemset.nix format, which bundlerEnv reads through `gemset`. */
export function emitGemset(app: Application): NixFile {
  if (app.build.builder !== "bundler") throw new Error(`${app.source}: not a Ruby bundle`);
  const gems = [...app.build.gems].sort((a, b) => (a.name < b.name ? -1 : 1));
  const set = nix.attrs(
    gems.map((g) => {
      const fields: Binding[] = [];
      if (g.dependencies.length > 0) {
        fields.push(nix.bind("dependencies", stringList([...g.dependencies].sort())));
      }
      fields.push(
        nix.bind(
          "source",
          nix.attrs([
            nix.bind("remotes", stringList([g.remote])),
            nix.bind("sha256", nix.string(g.sha256)),
            nix.bind("type", nix.string("gem")),
          ]),
        ),
        nix.bind("version", nix.string(g.version)),
      );
      return nix.bind([g.name], nix.attrs(fields));
    }),
  );
  return nix.file(generatedHeader([app.source]), set);
}

function emitPython(app: Application, build: PythonBuild): NixFile {
  const self = nix.ident("self");
  const packages = build.packages.map((p) =>
    nix.bind(
      [p.name],
      nix.attrs([
        nix.bind("version", nix.string(p.version)),
        nix.bind("src", srcExpr({ type: "url", url: p.url, sha256: p.sha256 })),
        nix.bind("propagates", nix.list(p.propagates.map((d) => nix.select(self, [d])))),
        nix.bind("doCheck", nix.bool(p.doCheck)),
      ]),
    ),
  );
  const bindings: Binding[] = [
    nix.bind("python", refExpr(build.interpreter)),
    nix.bind("main", nix.string(build.main)),
    nix.bind("buildInputs", nix.list(build.buildInputs.map(refExpr))),
    nix.bind("packages", nix.lambda("self", nix.attrs(packages))),
    ...metaBindings(app),
  ];
  const body = nix.call(nix.select(nix.ident("cwLib"), "pythonClosure"), nix.attrs(bindings));
  const args = [
    "cwLib",
    "fetchurl",
    build.interpreter.ref[0]!,
    ...build.buildInputs.map((r) => r.ref[0]!),
    ...metaArgs(app),
  ];
  return packageFile(app.source, args, body);
}

const stringList = (values: readonly string[]): Expr => nix.list(values.map((v) => nix.string(v)));

/** Build inputs, the static ones of a Go build after the others. */
const allBuildInputs = (build: GoBuild | StdenvBuild): readonly PackageRef[] =>
  build.builder === "go" && build.static !== null
    ? [...build.buildInputs, ...build.static.buildInputs]
    : build.buildInputs;

function buildInputBindings(build: GoBuild | StdenvBuild): Binding[] {
  const lists = [
    ["buildInputs", allBuildInputs(build)],
    ["nativeBuildInputs", build.nativeBuildInputs],
  ] as const;
  return lists
    .filter(([, refs]) => refs.length > 0)
    .map(([name, refs]) => nix.bind(name, nix.list(refs.map(refExpr))));
}

function hookBindings(hooks: GoBuild["hooks"]): Binding[] {
  return Object.keys(hooks)
    .sort()
    .map((name) => nix.bind(name, nix.string(textParts(hooks[name]!), "indented")));
}

/** callPackage arguments of the references in build inputs and hooks. */
function buildArgs(build: GoBuild | StdenvBuild): string[] {
  const libraries = build.builder === "go" ? (build.static?.libraries ?? []) : [];
  return [
    ...[...allBuildInputs(build), ...build.nativeBuildInputs].map((r) => r.ref[0]!),
    ...Object.values(build.hooks).flatMap(refHeads),
    ...libraries.flatMap(refHeads),
  ];
}

/** go2nix's deps.nix format, which buildGoPackage reads through `goDeps`. */
/** The deps file of Go programs that share their deps; its header names all their sources. */
export function emitGoDeps(app: Application, sources: readonly string[]): NixFile {
  if (app.build.builder !== "go") throw new Error(`${app.source}: not a Go program`);
  const deps = app.build.deps.map((d) =>
    nix.attrs([
      nix.bind("goPackagePath", nix.string(d.packagePath)),
      nix.bind(
        "fetch",
        nix.attrs([
          nix.bind("type", nix.string("git")),
          nix.bind("url", nix.string(d.url)),
          nix.bind("rev", nix.string(d.rev)),
          nix.bind("sha256", nix.string(d.sha256)),
        ]),
      ),
    ]),
  );
  return nix.file(generatedHeader(sources), nix.list(deps));
}
