// Template of the `application` kind: a Go program (through cwLib.buildGo, which picks the Go
// builder of the nixpkgs given) or a stdenv build, from its pinned source.

import { nix, type Binding, type Expr, type NixFile } from "../generator/nix/index.ts";
import type { Application, GoBuild, StdenvBuild } from "../generator/model.ts";
import {
  fetcherOf,
  generatedHeader,
  packageFile,
  refExpr,
  refHeads,
  srcExpr,
  textParts,
} from "./common.ts";

/** Bundler and Python builds are checked only, for now. */
export function isGenerated(app: Application): boolean {
  return app.build.builder === "go" || app.build.builder === "stdenv";
}

/** The go2nix dependency file of a Go program, beside its package file; undefined without deps. */
export const goDepsPath = (app: Application): string | undefined =>
  app.build.builder === "go" && app.build.deps.length > 0
    ? `${app.attrPath.join("/")}-deps.nix`
    : undefined;

export function emitApplication(app: Application): NixFile {
  switch (app.build.builder) {
    case "go":
      return emitGo(app, app.build);
    case "stdenv":
      return emitStdenv(app, app.build);
    default:
      throw new Error(`${app.source}: ${app.build.builder} builds are not generated`);
  }
}

const fullName = (app: Application) =>
  app.version === null ? app.pname : `${app.pname}-${app.version}`;

function metaBindings(app: Application): Binding[] {
  return app.description === null
    ? []
    : [nix.bind("meta.description", nix.string(app.description))];
}

function emitGo(app: Application, go: GoBuild): NixFile {
  if (app.src === null) throw new Error(`${app.source}: a Go program needs a source`);
  const deps = goDepsPath(app);
  const bindings: Binding[] = [
    nix.bind("pname", nix.string(app.pname)),
    nix.bind("version", app.version === null ? nix.null() : nix.string(app.version)),
    nix.bind("goPackagePath", nix.string(go.packagePath)),
    nix.bind("src", srcExpr(app.src)),
  ];
  if (deps !== undefined) {
    bindings.push(nix.bind("goDeps", nix.path(`./${deps.slice(deps.lastIndexOf("/") + 1)}`)));
  }
  const lists: [string, readonly string[]][] = [
    ["ldflags", go.ldflags],
    ["subPackages", go.subPackages],
    ["excludedPackages", go.excludedPackages],
  ];
  for (const [name, values] of lists) {
    if (values.length > 0)
      bindings.push(nix.bind(name, nix.list(values.map((v) => nix.string(v)))));
  }
  const extra = [...buildInputBindings(go), ...hookBindings(go.hooks), ...metaBindings(app)];
  if (go.outputs.length > 0) extra.push(nix.bind("outputs", stringList(go.outputs)));
  if (extra.length > 0) bindings.push(nix.bind("extraArgs", nix.attrs(extra)));
  const body = nix.call(nix.select(nix.ident("cwLib"), "buildGo"), nix.attrs(bindings));
  return packageFile(app.source, ["cwLib", fetcherOf(app.src), ...buildArgs(go)], body);
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
  return packageFile(app.source, ["stdenv", ...fetcher, ...buildArgs(build)], body);
}

const stringList = (values: readonly string[]): Expr => nix.list(values.map((v) => nix.string(v)));

function buildInputBindings(build: GoBuild | StdenvBuild): Binding[] {
  const lists = [
    ["buildInputs", build.buildInputs],
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
  return [
    ...[...build.buildInputs, ...build.nativeBuildInputs].map((r) => r.ref[0]!),
    ...Object.values(build.hooks).flatMap(refHeads),
  ];
}

/** go2nix's deps.nix format, which buildGoPackage reads through `goDeps`. */
export function emitGoDeps(app: Application): NixFile {
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
  return nix.file(generatedHeader([app.source]), nix.list(deps));
}
