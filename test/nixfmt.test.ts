// The layout is the standard one, proven against the official formatter: every .nix file of the
// repository, and of a freshly generated fixture set, is a fixed point of `nixfmt --check`, and
// so are thousands of random ASTs as the printer prints them, at the standard width and at a
// narrow one (where far more breaks). nixfmt comes from PATH (.ci/run puts the project's copy
// there); without it these tests are skipped with a notice, except in CI, where they fail.
//
// Listed exceptions, where nixfmt 1.4 follows rules the printer does not reproduce:
// - Bindings whose name is quoted or interpolated (`"a b" = ...`, `a.${x} = ...`): nixfmt places
//   their value by rules that depend on the operator and the kind of the value, and starts it on
//   a new line whenever the name spans lines. The random ASTs here use identifier names only;
//   the generator writes quoted names with short values only, which the first test covers.
// - Applications with a list among their arguments before the last, or a list or set as the
//   function (`f [ x ] [ a b c ]`, `[ a ] b`): nixfmt keeps or breaks the arguments by rules not
//   reproduced. A differing case is excused only when it holds such an application.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Expr } from "../generator/nix/index.ts";
import { printNix } from "../generator/nix/index.ts";
import { random, randomExpr } from "./random-ast.ts";
import { REPO, run, tempDir } from "./helpers.ts";
import { fixtureProject } from "./workspace.ts";

/** Whether nixfmt runs; a notice (or, in CI, an error) when it does not. */
function nixfmtAvailable(): boolean {
  if (run("nixfmt", ["--version"]).status === 0) return true;
  if (process.env.CI === "true" || process.env.CI === "1") {
    throw new Error("nixfmt is required in CI (.ci/run puts ../shared/tools on PATH)");
  }
  console.warn("\n*** nixfmt not found on PATH: the nixfmt tests are SKIPPED ***\n");
  return false;
}

/** The files nixfmt would change, checked in batches of one process each. */
function notFormatted(files: readonly string[], width = 100): string[] {
  const result = run("nixfmt", ["--check", "--width", String(width), ...files]);
  if (result.status !== 0 && !/not formatted/.test(result.stderr)) {
    throw new Error(`nixfmt failed: ${result.stderr}`);
  }
  return [...result.stderr.matchAll(/^(.+): not formatted$/gm)].map((m) => m[1]!);
}

/** The sub-expressions of `e`, one level down. */
function children(e: Expr): Expr[] {
  switch (e.kind) {
    case "string":
      return e.parts.filter((p): p is Expr => typeof p !== "string");
    case "attrs":
    case "let": {
      const inner = e.bindings.flatMap((b) =>
        b.kind === "inherit"
          ? b.from === null
            ? []
            : [b.from]
          : [b.value, ...b.path.flatMap((n) => (typeof n === "string" ? [] : [n.interpolated]))],
      );
      return e.kind === "let" ? [...inner, e.body] : inner;
    }
    case "list":
      return e.items.map((i) => i.value);
    case "lambda":
      return [
        e.body,
        ...(e.param.kind === "formals"
          ? e.param.formals.flatMap((f) => (f.default === null ? [] : [f.default]))
          : []),
      ];
    case "apply":
      return [e.fn, e.arg];
    case "select":
      return [e.expr, ...(e.or === null ? [] : [e.or])];
    case "hasAttr":
    case "unary":
      return [e.expr];
    case "binary":
      return [e.left, e.right];
    case "if":
      return [e.cond, e.then, e.else];
    case "with":
      return [e.scope, e.body];
    case "assert":
      return [e.cond, e.body];
    default:
      return [];
  }
}

/** Holds an application with a list argument before the last, or a list or set as function. */
function hasListArgumentsApplication(e: Expr): boolean {
  if (e.kind === "apply") {
    const args: Expr[] = [];
    let fn: Expr = e;
    while (fn.kind === "apply") {
      args.unshift(fn.arg);
      fn = fn.fn;
    }
    if (fn.kind === "list" || fn.kind === "attrs") return true;
    if (args.slice(0, -1).some((a) => a.kind === "list")) return true;
  }
  return children(e).some(hasListArgumentsApplication);
}

describe.runIf(nixfmtAvailable())("the standard style, checked by nixfmt", () => {
  it("every .nix file of the repository and of a generated fixture set is formatted", async () => {
    const tracked = run("git", ["ls-files", "-z", "*.nix"]).stdout.split("\0").filter(Boolean);
    expect(tracked.length).toBeGreaterThan(100);
    const fixture = await fixtureProject();
    const fixtureFiles = run("find", [join(fixture, "generated"), "-name", "*.nix"])
      .stdout.split("\n")
      .filter(Boolean);
    expect(fixtureFiles.length).toBeGreaterThan(10);
    const files = [...tracked.map((f) => join(REPO, f)), ...fixtureFiles];
    expect(notFormatted(files)).toEqual([]);
  });

  for (const { cases, width, seed } of [
    { cases: 2500, width: 100, seed: 11 },
    { cases: 1000, width: 40, seed: 13 },
  ]) {
    it(`${cases} random ASTs printed at width ${width} are formatted (listed exceptions aside)`, () => {
      const dir = tempDir("nixgen-nixfmt-");
      const next = random(seed);
      const exprs = new Map<string, Expr>();
      for (let i = 0; i < cases; i++) {
        const expr = randomExpr(next, 4, { plainBindingNames: true });
        const file = join(dir, `case-${i}.nix`);
        writeFileSync(file, printNix(expr, { width }));
        exprs.set(file, expr);
      }
      const differing = notFormatted([...exprs.keys()], width);
      const unexplained = differing.filter((f) => !hasListArgumentsApplication(exprs.get(f)!));
      const shown = unexplained.slice(0, 3).map((f) => ({
        file: f,
        printed: printNix(exprs.get(f)!, { width }),
        nixfmt: run("nixfmt", ["--width", String(width), f, "--check"]).stderr,
      }));
      expect(shown).toEqual([]);
      // The listed exception stays rare; more would mean a new difference hides behind it.
      expect(differing.length).toBeLessThanOrEqual(cases / 200);
    });
  }
});
