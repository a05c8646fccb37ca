// Resolution of an application: its source, meta and build (Go, stdenv, override, bundler, Python).

import { didYouMean, type Diagnostic } from "../diagnostics.ts";
import type { Application, Build, GemfileDependency, GoBuild, Template } from "../model.ts";
import type { FieldPath } from "../parse.ts";
import { error, type Common } from "./context.ts";
import { findCycle } from "./cycles.ts";
import { Reader } from "./reader.ts";
import { template } from "./references.ts";
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

export function toBuild(r: Reader): Build {
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

export function toStatic(r: Reader): NonNullable<GoBuild["static"]> {
  return {
    buildInputs: r.refs("buildInputs"),
    libraries: r.strings("libraries").map((l, i) => template(l, [...r.at("libraries"), i], r.ctx)),
  };
}

/** Dependencies between items of one list (gems, Python packages) must name items of the list. */
export function checkNamesWithin<K extends string>(
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

export function unknownName(
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
