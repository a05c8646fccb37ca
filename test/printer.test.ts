// The Nix AST printer: layout goldens, builder checks, and string values proven with real Nix.

import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nix, printNix, NixBuildError } from "../generator/nix/index.ts";
import { nixTestsEnabled, run } from "./helpers.ts";

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
    expect(printNix(file)).toBe(`# Header line.
{
  buildGoPackage,
  fetchFromGitHub,
}:

buildGoPackage {
  name = "x-1.0";
  src = fetchFromGitHub {
    owner = "o";
    rev = "v1";
  };
  flags = [ "-a" "-b" ];
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

  it("breaks long applications one argument per line and keeps let/in layout", () => {
    const args = Array.from({ length: 8 }, (_, i) => nix.ident(`argument${i}`));
    const expr = nix.let(
      [nix.bind("x", nix.call(nix.ident("someFunction"), ...args))],
      nix.ident("x"),
    );
    expect(printNix(expr)).toBe(
      `let
  x = someFunction argument0 argument1 argument2 argument3 argument4 argument5 argument6 argument7;
in
x
`,
    );
    expect(printNix(expr, { width: 98 })).toBe(
      `let
  x =
    someFunction argument0 argument1 argument2 argument3 argument4 argument5 argument6 argument7;
in
x
`,
    );
    expect(printNix(expr, { width: 40 })).toBe(
      `let
  x =
    someFunction
      argument0
      argument1
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
    expect(() => nix.string("a\0b")).toThrow(NixBuildError);
    expect(() => nix.ident("let")).toThrow(NixBuildError);
    expect(() => nix.path("no/slash/start")).toThrow(NixBuildError);
    expect(printNix(nix.int(-(2n ** 63n)))).toBe("(-9223372036854775807 - 1)\n");
  });
});

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
      s += String.fromCodePoint(1 + Math.floor(next() * 0x2ffff)).replace(/[\ud800-\udfff]/g, "?");
    else s += PIECES[Math.floor(next() * PIECES.length)];
  }
  return s;
}

describe.runIf(nixTestsEnabled())("strings against nix-instantiate", () => {
  it("every printed string evaluates back to its value, in both forms", () => {
    const next = random(42);
    const values = Array.from({ length: 2000 }, () => randomString(next));
    const items = values.flatMap((v) => [
      nix.string(v, "double"),
      nix.string(v, "auto"),
      nix.string(v + "\nline\n", "indented"),
    ]);
    const dir = mkdtempSync(join(tmpdir(), "nixgen-strings-"));
    const path = join(dir, "strings.nix");
    writeFileSync(path, printNix(nix.list(items)));
    const result = run("nix-instantiate", ["--eval", "--strict", "--json", path]);
    expect(result.stderr).toBe("");
    const evaluated = JSON.parse(result.stdout) as string[];
    const expected = values.flatMap((v) => [v, v, v + "\nline\n"]);
    expect(evaluated.length).toBe(expected.length);
    const mismatches = expected.flatMap((v, i) =>
      evaluated[i] === v ? [] : [{ value: v, got: evaluated[i] }],
    );
    expect(mismatches).toEqual([]);
  });
});
