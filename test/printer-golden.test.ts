// Golden layouts: each case printed must equal test/golden/<name>.nix byte for byte, and every
// golden file is real Nix (checked with nix-instantiate --parse). Review a layout change by
// running with UPDATE_GOLDEN=1 and reading the diff.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nix, printNix, type Expr } from "../generator/nix/index.ts";
import { REPO, nixTestsEnabled, run } from "./helpers.ts";

const GOLDEN = join(REPO, "test/golden");
const id = nix.ident;
const s = (text: string) => nix.string(text);
const names = (list: string) => list.split(" ").map(id);

const CASES: Record<string, Expr> = {
  "long-application": nix.attrs([
    nix.bind("fits", nix.call(id("f"), ...names("alpha beta gamma"))),
    nix.bind(
      "tooLong",
      nix.call(
        nix.ref("lib.someFunction"),
        ...names("firstArgumentName secondArgumentName thirdArgumentName fourthArgumentName fifth"),
      ),
    ),
  ]),
  "nested-sets": nix.attrs([
    nix.bind("meta", nix.attrs([nix.bind("description", s("d"))])),
    nix.bind("a.b.c", s("x")),
    nix.bind("empty", nix.attrs([])),
    nix.bind(
      "args",
      nix.call(nix.ident("import"), nix.path("./lib"), nix.attrs([nix.inherit(["pkgs"])])),
    ),
  ]),
  lists: nix.attrs([
    nix.bind("short", nix.list(names("a b"))),
    nix.bind("long", nix.list(names("a b c d e"))),
    nix.bind("mixed", nix.list([id("a"), nix.call(id("f"), id("x"))])),
    nix.bind("empty", nix.list([])),
  ]),
  "absorbed-last-argument": nix.attrs([
    nix.bind(
      "src",
      nix.call(
        id("fetchurl"),
        nix.attrs([nix.bind("url", s("http://x")), nix.bind("sha256", s("0"))]),
      ),
    ),
    nix.bind("script", nix.call(id("writeShellScriptBin"), s("name"), s("echo a\necho b\n"))),
    nix.bind(
      "parenthesised",
      nix.call(
        nix.ref("lib.optionals"),
        id("cond"),
        nix.call(
          id("someLongFunctionName"),
          ...names("withAVeryLongArgumentName andAnotherVeryLongArgumentName more"),
        ),
      ),
    ),
  ]),
  "multi-line-string": nix.attrs([
    nix.bind(
      "text",
      nix.string(["#!", id("bash"), "/bin/bash\nset -e\n\necho \"${HOME}\" ''quoted''\n"]),
    ),
    nix.bind("noTrailingNewline", nix.string("first\nsecond")),
    nix.bind("leadingSpacesOnly", nix.string("  indented\n  both\n")),
  ]),
  comments: nix.attrs([
    nix.bind("a", nix.int(1), { comment: "first" }),
    nix.bind(
      "b",
      nix.list([
        nix.item(id("x"), { comment: "an item" }),
        nix.item(id("y"), { blankBefore: true }),
      ]),
      {
        blankBefore: true,
        comment: ["second group", "over two lines"],
      },
    ),
  ]),
  let: nix.let(
    [nix.bind("x", nix.int(1)), nix.bind("y", nix.attrs([nix.inherit(["x"])]))],
    nix.binary("//", id("y"), nix.attrs([nix.bind("z", id("x"))])),
  ),
  "if-chains": nix.attrs([
    nix.bind("short", nix.if(id("c"), nix.int(1), nix.int(2))),
    nix.bind(
      "chain",
      nix.lambda(
        "x",
        nix.if(
          nix.binary("==", id("x"), nix.int(1)),
          s("one"),
          nix.if(nix.binary("==", id("x"), nix.int(2)), s("two"), s("many")),
        ),
      ),
    ),
    nix.bind(
      "longCondition",
      nix.if(
        nix.binary(
          "&&",
          nix.call(id("someCondition"), id("withArgument")),
          nix.call(id("anotherCondition"), ...names("withAnotherArgument andOneMore alsoThis")),
        ),
        nix.list(names("a b")),
        nix.null(),
      ),
    ),
  ]),
  "operator-chains": nix.attrs([
    nix.bind(
      "flags",
      nix.binary(
        "++",
        nix.list([s("-a"), s("-b")]),
        nix.binary(
          "++",
          nix.call(
            nix.ref("lib.optionals"),
            id("withSomethingEnabled"),
            nix.list([s("--enable-something-quite-long")]),
          ),
          nix.list([s("--last-flag-that-is-long")]),
        ),
      ),
    ),
    nix.bind(
      "sum",
      nix.binary(
        "+",
        nix.binary("-", nix.int(1), nix.int(2)),
        nix.binary("*", nix.int(3), nix.binary("+", nix.int(4), nix.int(5))),
      ),
    ),
  ]),
  "with-and-functions": nix.attrs([
    nix.bind("buildInputs", nix.with(id("pkgs"), nix.list(names("a b c d e")))),
    nix.bind("short", nix.with(nix.ident("lib"), nix.call(id("f"), id("x")))),
    nix.bind(
      "curried",
      nix.lambda(
        "a",
        nix.lambda("b", nix.attrs([nix.bind("sum", nix.binary("+", id("a"), id("b")))])),
      ),
    ),
    nix.bind(
      "formals",
      nix.lambda(
        {
          formals: [
            nix.formal("pkgs"),
            nix.formal("system", nix.select(id("builtins"), "currentSystem")),
          ],
          ellipsis: true,
          bind: "args",
        },
        id("pkgs"),
      ),
    ),
    nix.bind("single", nix.lambda({ formals: ["pkgs"] }, nix.select(id("pkgs"), "hello"))),
  ]),
  inherits: nix.attrs([
    nix.inherit(
      names("alpha beta gamma delta epsilon").map((n) => (n as { name: string }).name),
      id("lib"),
    ),
    nix.inherit(["a", "b"]),
  ]),
};

describe("golden layouts", () => {
  for (const [name, expr] of Object.entries(CASES)) {
    it(name, () => {
      const file = join(GOLDEN, `${name}.nix`);
      const printed = printNix(expr);
      if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) writeFileSync(file, printed);
      expect(printed).toBe(readFileSync(file, "utf8"));
    });
  }
});

describe.runIf(nixTestsEnabled())("golden files are valid Nix", () => {
  it("every golden file parses (its free variables bound by a `with`)", () => {
    const bodies = Object.keys(CASES).map(
      (name) => `(\n${readFileSync(join(GOLDEN, `${name}.nix`), "utf8")})`,
    );
    const result = run("nix-instantiate", [
      "--parse",
      "-E",
      `with { }; [\n${bodies.join("\n")}\n]`,
    ]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
