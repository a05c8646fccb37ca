// Resolution of an application: its source, meta and build (Go, stdenv, override, bundler, Python).

import type { Application, Build, GemfileDependency, GoBuild, Pin, Template } from "../model.ts";
import { error, type Common } from "./context.ts";
import { checkNamesWithin, checkUnique, unknownName } from "./lists.ts";
import { Reader } from "./reader.ts";
import { toMeta, toPin } from "./sources.ts";

/** Shell hooks present among `names`, as templates. */
export function hooks(r: Reader, names: readonly string[]): Record<string, Template> {
  return Object.fromEntries(names.filter((n) => r.has(n)).map((n) => [n, r.text(n)]));
}

export function toApplication(r: Reader, common: Common): Application {
  const pname = r.str("pname");
  const build = toBuild(r.child("build"));
  // bundlerEnv names the environment after the gem `pname` and its locked version.
  if (build.builder === "bundler" && !build.gems.some((g) => g.name === pname)) {
    const names = build.gems.map((g) => g.name);
    r.ctx.diagnostics.push(unknownName(r, r.at("pname"), pname, names, "gem"));
  }
  const src = r.has("source") ? toPin(r.child("source")) : null;
  if (build.builder === "go") checkGoSource(r, src);
  return {
    ...common,
    kind: "application",
    pname,
    version: r.optStr("version"),
    src,
    meta: toMeta(r.child("meta")),
    build,
  };
}

/** buildGoPackage builds one source tree: it needs `source`, and one archive or checkout. */
function checkGoSource(r: Reader, src: Pin | null): void {
  if (src === null) {
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        [],
        "schema/missing-key",
        'missing key "source", which a Go build needs (the tree buildGoPackage compiles)',
        "add source: { github: { owner, repo, rev, sha256 } }",
      ),
    );
  } else if (src.type === "urls") {
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        ["source", "urls"],
        "schema/one-of",
        "expected one source tree for a Go build (github, git, url or zip), found a list of urls",
      ),
    );
  }
}

/** Items of a list whose names become attribute names of the generated set. */
function checkUniqueNames(
  r: Reader,
  listKey: string,
  items: readonly { readonly name: string }[],
  what: string,
): void {
  const at = (i: number) => [...r.at(listKey), i, "name"];
  checkUnique(r, items, (item) => item.name, at, "dependency/duplicate", what);
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

export function toBuild(r: Reader): Build {
  if (r.has("go")) {
    const g = r.child("go");
    const deps = g.list("deps").map((d) => ({
      packagePath: d.str("packagePath"),
      url: d.str("url"),
      rev: d.str("rev"),
      sha256: d.hash("sha256"),
    }));
    checkUnique(
      g,
      deps,
      (d) => d.packagePath,
      (i) => [...g.at("deps"), i, "packagePath"],
      "dependency/duplicate",
      "Go dependency",
    );
    return {
      builder: "go",
      packagePath: g.str("packagePath"),
      goVersion: (g.optStr("goVersion") ?? "default") as "default" | "1.10",
      ldflags: g.strings("ldflags"),
      deps,
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
      patches: o.list("patches").map((p) => ({ url: p.str("url"), sha256: p.hash("sha256") })),
      buildInputs: o.refs("buildInputs"),
    };
  }
  if (r.has("bundler")) {
    const b = r.child("bundler");
    const gems = b.list("gems").map((g) => ({
      name: g.str("name"),
      version: g.str("version"),
      sha256: g.hash("sha256"),
      dependencies: g.strings("dependencies"),
      remote: g.optStr("remote") ?? "https://rubygems.org",
    }));
    checkUniqueNames(b, "gems", gems, "gem");
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
    sha256: x.hash("sha256"),
    propagates: x.strings("propagates"),
    doCheck: x.bool("doCheck", false),
  }));
  checkUniqueNames(p, "packages", packages, "Python package");
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

export function toStatic(r: Reader): NonNullable<GoBuild["static"]> {
  return {
    buildInputs: r.refs("buildInputs"),
    libraries: r.texts("libraries"),
  };
}
