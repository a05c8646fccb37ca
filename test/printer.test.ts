// The Nix AST printer: layout goldens, builder checks, and string values proven with real Nix.

import { writeFileSync } from "node:fs";
import { KEYWORDS, isIdentifier } from "../generator/nix/builders.ts";
import type { Expr, StringPart } from "../generator/nix/ast.ts";
import { FREE_VARIABLES, canonical, random, randomExpr } from "./random-ast.ts";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nix, printNix, NixBuildError } from "../generator/nix/index.ts";
import { nixTestsEnabled, run, tempDir } from "./helpers.ts";

describe("layout", () => {
  it("prints a package file in the standard style", () => {
    const file = nix.file(
      ["Header line."],
      nix.lambda(
        { formals: ["buildGoPackage", "fetchFromGitHub"] },
        nix.call(
          nix.ident("buildGoPackage"),
          nix.attrs([
            nix.bind("name", nix.string("x-1.0")),
            nix.bind(
              "src",
              nix.call(
                nix.ident("fetchFromGitHub"),
                nix.attrs({ owner: nix.string("o"), rev: nix.string("v1") }),
              ),
            ),
            nix.bind("flags", nix.list([nix.string("-a"), nix.string("-b")])),
            nix.bind("meta.description", nix.string("d")),
          ]),
        ),
      ),
    );
    // Two formals without defaults share a line; lists of two items or more are expanded.
    expect(printNix(file)).toBe(`# Header line.
{ buildGoPackage, fetchFromGitHub }:

buildGoPackage {
  name = "x-1.0";
  src = fetchFromGitHub {
    owner = "o";
    rev = "v1";
  };
  flags = [
    "-a"
    "-b"
  ];
  meta.description = "d";
}
`);
  });

  it("parenthesises only where precedence or associativity needs it", () => {
    const n = (v: number) => nix.int(v);
    expect(printNix(nix.binary("-", n(1), nix.binary("-", n(2), n(3))))).toBe("1 - (2 - 3)\n");
    expect(printNix(nix.binary("-", nix.binary("-", n(1), n(2)), n(3)))).toBe("1 - 2 - 3\n");
    expect(
      printNix(nix.binary("++", nix.binary("++", nix.ident("a"), nix.ident("b")), nix.ident("c"))),
    ).toBe("(a ++ b) ++ c\n");
    expect(printNix(nix.binary("*", nix.binary("+", n(1), n(2)), n(3)))).toBe("(1 + 2) * 3\n");
    expect(printNix(nix.call(nix.ident("f"), nix.call(nix.ident("g"), n(1)), n(-2)))).toBe(
      "f (g 1) (-2)\n",
    );
    expect(printNix(nix.unary("!", nix.binary("==", n(1), n(2))))).toBe("!(1 == 2)\n");
    expect(printNix(nix.call(nix.lambda("x", nix.ident("x")), n(1)))).toBe("(x: x) 1\n");
    expect(printNix(nix.select(nix.ident("a"), "b.c", nix.ident("d")))).toBe("a.b.c or d\n");
  });

  it("quotes attribute names that are not identifiers", () => {
    const set = nix.attrs([nix.bind(["if", "a-b", "1x", "x y"], nix.null())]);
    expect(printNix(set)).toBe('{ "if".a-b."1x"."x y" = null; }\n');
  });

  it("keeps an application on the line of `=` while it fits, then breaks after the first line", () => {
    const args = Array.from({ length: 8 }, (_, i) => nix.ident(`argument${i}`));
    const expr = nix.let(
      [nix.bind("x", nix.call(nix.ident("someFunction"), ...args))],
      nix.ident("x"),
    );
    // The width does not count the indentation.
    expect(printNix(expr, { width: 98 })).toBe(
      `let
  x = someFunction argument0 argument1 argument2 argument3 argument4 argument5 argument6 argument7;
in
x
`,
    );
    expect(printNix(expr, { width: 95 })).toBe(
      `let
  x =
    someFunction argument0 argument1 argument2 argument3 argument4 argument5 argument6
      argument7;
in
x
`,
    );
    expect(printNix(expr, { width: 40 })).toBe(
      `let
  x =
    someFunction argument0 argument1
      argument2
      argument3
      argument4
      argument5
      argument6
      argument7;
in
x
`,
    );
  });

  it("writes comments and blank lines between groups of bindings", () => {
    const set = nix.attrs([
      nix.bind("a", nix.int(1), { comment: "first" }),
      nix.bind("b", nix.int(2), { blankBefore: true, comment: ["second", ""] }),
    ]);
    expect(printNix(set)).toBe("{\n  # first\n  a = 1;\n\n  # second\n  #\n  b = 2;\n}\n");
  });

  it("uses indented strings for multi-line text, without trailing spaces on empty lines", () => {
    const set = nix.attrs([
      nix.bind("text", nix.string(["#!", nix.ident("bash"), "/bin/bash\n\necho ${HOME} ''\n"])),
    ]);
    expect(printNix(set)).toBe(
      "{\n  text = ''\n    #!${bash}/bin/bash\n\n    echo ''${HOME} '''\n  '';\n}\n",
    );
  });

  it("rejects values Nix cannot represent", () => {
    expect(() => nix.int(2n ** 63n)).toThrow(NixBuildError);
    expect(() => nix.float(Number.NaN)).toThrow(NixBuildError);
    expect(() => nix.float(5e-324)).toThrow(NixBuildError);
    expect(() => nix.string("a\0b")).toThrow(NixBuildError);
    expect(() => nix.ident("let")).toThrow(NixBuildError);
    expect(() => nix.path("no/slash/start")).toThrow(NixBuildError);
    expect(() => nix.attrs([nix.bind("a", nix.int(1)), nix.bind("a", nix.int(2))])).toThrow(
      /defined twice/,
    );
    expect(() => nix.attrs([nix.inherit(["a"]), nix.bind("a", nix.int(2))])).toThrow(
      /defined twice/,
    );
    expect(() =>
      nix.let([nix.bind("a", nix.int(1)), nix.bind("a.b", nix.int(2))], nix.null()),
    ).toThrow(/not a set/);
    expect(() =>
      nix.attrs([nix.bind("a", nix.attrs({ b: nix.int(1) })), nix.bind("a.c", nix.int(2))]),
    ).not.toThrow();
    expect(() => nix.lambda({ formals: ["a", "a"] }, nix.null())).toThrow(/duplicate/);
    expect(printNix(nix.int(-(2n ** 63n)))).toBe("(-9223372036854775807 - 1)\n");
  });
});

const PIECES = [
  "$",
  "${",
  "$${",
  "{",
  "}",
  "''",
  "'''",
  "'",
  "\\",
  '"',
  "\r",
  "\n",
  "\t",
  " ",
  "  ",
  "a",
  "é",
  "☃",
  "𝄞",
  "x y",
  "\n  \n",
  "${x}",
  "''${",
  "\\n",
];

function randomString(next: () => number): string {
  let s = "";
  const length = Math.floor(next() * 12);
  for (let i = 0; i < length; i++) {
    if (next() < 0.1)
      s += String.fromCodePoint(1 + Math.floor(next() * 0x10fffe)).replace(/[\ud800-\udfff]/g, "?");
    else s += PIECES[Math.floor(next() * PIECES.length)];
  }
  return s;
}

/** Print `expr`, evaluate it with nix-instantiate, return the JSON value. */
function evaluate(expr: Expr): unknown {
  const dir = tempDir("nixgen-eval-");
  const path = join(dir, "value.nix");
  writeFileSync(path, printNix(expr));
  const result = run("nix-instantiate", ["--eval", "--strict", "--json", path]);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout);
}

/** `nix-instantiate --parse` of a file with this text (always at the same path: relative paths resolve alike). */
const PARSE_DIR = tempDir("nixgen-parse-");
function parsed(text: string): string {
  const path = join(PARSE_DIR, "expr.nix");
  writeFileSync(path, text);
  const result = run("nix-instantiate", ["--parse", path]);
  if (result.status !== 0) return `ERROR ${result.stderr}`;
  return result.stdout;
}

describe.runIf(nixTestsEnabled())("values and structure against nix-instantiate", () => {
  it("10,000 random strings evaluate back to themselves in every form the printer may choose", () => {
    const next = random(42);
    const values = Array.from({ length: 10_000 }, () => randomString(next));
    const forms = ["double", "auto", "indented"] as const;
    const evaluated = evaluate(
      nix.list(values.flatMap((v) => forms.map((f) => nix.string(v, f)))),
    ) as string[];
    const expected = values.flatMap((v) => forms.map(() => v));
    expect(evaluated.length).toBe(expected.length);
    const mismatches = expected.flatMap((v, i) =>
      evaluated[i] === v ? [] : [{ value: v, got: evaluated[i] }],
    );
    expect(mismatches).toEqual([]);
    // The indented form was really exercised, not always replaced by quotes.
    const printed = printNix(nix.list(values.map((v) => nix.string(v, "indented"))));
    expect(printed.split("''\n").length).toBeGreaterThan(1000);
  });

  it("strings cut into random parts, with interpolated strings between, evaluate back whole", () => {
    // Escaping depends on what surrounds each character (a quote before a quote, a `$` before
    // `{`), so it must hold however the text is cut into parts: the parts of a string are
    // escaped as one text, and an interpolation may hold a string of its own.
    const next = random(1234);
    const cut = (text: string): string[] => {
      const parts: string[] = [];
      let rest = text;
      while (rest.length > 0 && next() < 0.7) {
        const at = Math.floor(next() * (rest.length + 1));
        parts.push(rest.slice(0, at));
        rest = rest.slice(at);
      }
      return [...parts, rest];
    };
    const forms = ["double", "auto", "indented"] as const;
    const cases = Array.from({ length: 3000 }, () => {
      const parts: StringPart[] = [];
      let value = "";
      for (let k = Math.floor(next() * 3); k >= 0; k--) {
        const text = randomString(next);
        parts.push(...cut(text));
        value += text;
        if (next() < 0.4) {
          const inner = randomString(next);
          parts.push(nix.string(cut(inner), forms[Math.floor(next() * 3)]));
          value += inner;
        }
      }
      return { parts, value };
    });
    // Found by hostile input: `x'` then `'...` formed `''`, which closed the indented string.
    cases.push({
      parts: ["x'", "' + builtins.abort \"pwned\" + ''y"],
      value: "x'' + builtins.abort \"pwned\" + ''y",
    });
    const exprs = cases.flatMap((c) => forms.map((f) => nix.string(c.parts, f)));
    const evaluated = evaluate(nix.list(exprs)) as string[];
    const expected = cases.flatMap((c) => forms.map(() => c.value));
    const mismatches = expected.flatMap((v, i) =>
      evaluated[i] === v ? [] : [{ value: v, got: evaluated[i], printed: printNix(exprs[i]!) }],
    );
    expect(mismatches).toEqual([]);
  });

  it("attribute names, quoted where needed, evaluate back to themselves", () => {
    const next = random(7);
    const names = [
      ...new Set([
        ...Array.from({ length: 2000 }, () => randomString(next)),
        ...KEYWORDS,
        "a-b",
        "a'",
        "_x",
        "1a",
        "",
      ]),
    ];
    const set = nix.attrs(names.map((n) => nix.bind([n], nix.string(n))));
    const values = evaluate(
      nix.call(nix.select(nix.ident("builtins"), "attrValues"), set),
    ) as string[];
    expect(values.sort()).toEqual([...names].sort());
    const keys = evaluate(
      nix.call(nix.select(nix.ident("builtins"), "attrNames"), set),
    ) as string[];
    expect(keys.sort()).toEqual([...names].sort());
  });

  it("numbers at the edges of their ranges evaluate back to themselves", () => {
    const ints = [
      0n,
      1n,
      -1n,
      2n ** 31n,
      -(2n ** 31n),
      2n ** 53n + 1n,
      2n ** 63n - 1n,
      -(2n ** 63n),
      -(2n ** 63n) + 1n,
    ];
    const expr = nix.list(ints.map((i) => nix.call(nix.ident("toString"), nix.int(i))));
    expect(evaluate(expr)).toEqual(ints.map(String));
    // Nix prints floats with 6 digits, so each literal is compared inside Nix with the exact value
    // that builtins.fromJSON reads from JavaScript's shortest round-trip text.
    const floats = [
      0, 0.5, -0.5, 1e21, 1e-7, 2.2250738585072014e-308, -1.7976931348623157e308, 123456.789, 0.1,
      3,
    ];
    const same = floats.map((f) =>
      nix.binary(
        "==",
        nix.call(nix.select(nix.ident("builtins"), "fromJSON"), nix.string(JSON.stringify(f))),
        nix.float(f),
      ),
    );
    expect(evaluate(nix.list(same))).toEqual(floats.map(() => true));
  });

  it("1,000 random expressions parse back to the structure they were printed from", () => {
    const next = random(2024);
    const exprs = Array.from({ length: 1000 }, () => randomExpr(next));
    const wrap = (items: Expr[]) =>
      nix.lambda(
        { formals: FREE_VARIABLES.filter(isIdentifier), ellipsis: true, bind: "scope" },
        nix.with(nix.ident("scope"), nix.list(items)),
      );
    const printedAll = parsed(printNix(wrap(exprs)));
    const canonicalAll = parsed(canonical(wrap(exprs)));
    if (printedAll !== canonicalAll) {
      // Find the first expression that differs, for a readable failure.
      for (const e of exprs) {
        const pretty = printNix(wrap([e]));
        expect({ pretty, parsed: parsed(pretty) }).toEqual({
          pretty,
          parsed: parsed(canonical(wrap([e]))),
        });
      }
    }
    expect(printedAll.startsWith("ERROR")).toBe(false);
    expect(printedAll).toBe(canonicalAll);
  });

  it("printing is deterministic and idempotent", () => {
    const next = random(99);
    for (const e of Array.from({ length: 200 }, () => randomExpr(next)))
      expect(printNix(e)).toBe(printNix(e));
  });
});
