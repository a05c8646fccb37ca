// The bad-input corpus (test/corpus/cases.ts): every case is written over the small fixture set
// (test/fixtures/reference, in a workspace put back after each case), and `generate` must fail
// with the case's diagnostic at its exact file, line and column, keep its diagnostics well-formed
// and sorted, and leave generated/ byte-identical. Also: inputs that look hazardous but are fine
// (BOM, CRLF).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generate, type Diagnostic } from "../generator/index.ts";
import { CASES, PENDING, type Case, type Expected } from "./corpus/cases.ts";
import { hasNix, treeHash } from "./helpers.ts";
import { FIXTURE, Workspace } from "./workspace.ts";

const NIX = hasNix();
const CODE = /^[a-z]+\/[a-z0-9-]+$/;

/** Codes every corpus must cover; the first group several times, across kinds. */
const MUST_SEVERAL = [
  "path/invalid-name",
  "path/not-a-descriptor",
  "schema/type",
  "schema/missing-key",
  "schema/unknown-key",
];
const MUST = [
  ...MUST_SEVERAL,
  "yaml/duplicate-key",
  "yaml/tab-as-indent",
  "yaml/alias-limit",
  "yaml/too-large",
  "yaml/invalid-utf8",
  "yaml/nul-byte",
];
/** Every other code the corpus covers at least once. */
const ALSO = [
  "yaml/empty",
  "yaml/unresolved-alias",
  "schema/empty",
  "path/symlink",
  "path/unused-nix-file",
  "schema/unknown-kind",
  "schema/enum",
  "schema/const",
  "schema/pattern",
  "schema/one-of",
  "schema/duplicate-item",
  "schema/too-few",
  "schema/too-short",
  "schema/range",
  "schema/key-pattern",
  "ref/unknown",
  "ref/unknown-nixpkgs",
  "ref/syntax",
  "ref/unterminated",
  "ref/cycle",
  "ref/args-outside-fragment",
  "ref/self",
  "service/duplicate",
  "service/after-self",
  "service/unknown-after",
  "service/after-cycle",
  "service/no-command",
  "image/no-command",
  "tree/clash",
  "tree/reserved-name",
  "tree/misplaced",
  "fragment/unknown",
  "fragment/wrong-target",
  "fragment/cycle",
  "fragment/missing-argument",
  "fragment/unknown-argument",
  "fragment/unknown-parameter",
  "dependency/unknown",
  "dependency/cycle",
  "nixfile/missing",
  "nixfile/syntax",
];

let ws: Workspace;

beforeAll(async () => {
  ws = await Workspace.create();
});

/** Run `generate` with the case's files written over the fixture set, then put it back. */
async function generateWith(c: Pick<Case, "files" | "symlinks">) {
  ws.apply(new Map(Object.entries(c.files)), c.symlinks);
  try {
    const before = treeHash(join(ws.root, "generated"));
    const result = await generate({ root: ws.root });
    return { result, unchanged: treeHash(join(ws.root, "generated")) === before };
  } finally {
    ws.restore();
  }
}

const show = (d: Diagnostic): string =>
  `${d.file}:${d.line}:${d.column}: ${d.severity}[${d.code}] ${d.field}: ${d.message}` +
  (d.hint === undefined ? "" : ` (hint: ${d.hint})`);

const matches = (d: Diagnostic, e: Expected): boolean =>
  d.severity === "error" &&
  d.code === e.code &&
  d.file === e.file &&
  d.line === e.line &&
  d.column === e.column &&
  (e.field === undefined || d.field === e.field) &&
  (e.message === undefined || d.message.includes(e.message)) &&
  (e.hint === undefined || (d.hint ?? "").includes(e.hint));

const key = (d: Diagnostic): [string, number, number, string] => [d.file, d.line, d.column, d.code];
function inOrder(a: Diagnostic, b: Diagnostic): boolean {
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < x.length; i++) {
    if (x[i]! < y[i]!) return true;
    if (x[i]! > y[i]!) return false;
  }
  return true;
}

describe("bad-input corpus", () => {
  for (const c of CASES) {
    it.skipIf(c.needsNix === true && !NIX)(c.name, async () => {
      const { result, unchanged } = await generateWith(c);
      const listing = result.diagnostics.map(show).join("\n");
      const e = c.expect;

      expect(result.ok, listing).toBe(false);
      expect(
        result.diagnostics.some((d) => matches(d, e)),
        `expected ${e.file}:${e.line}:${e.column}: error[${e.code}]` +
          `${e.field === undefined ? "" : ` ${e.field}`}, got:\n${listing}`,
      ).toBe(true);
      for (const d of result.diagnostics) {
        expect(d.code, show(d)).toMatch(CODE);
        expect(d.file, show(d)).not.toBe("");
      }
      result.diagnostics.slice(1).forEach((d, i) => {
        expect(inOrder(result.diagnostics[i]!, d), `not sorted:\n${listing}`).toBe(true);
      });
      expect(unchanged).toBe(true);
    });
  }

  for (const p of PENDING) it.todo(`${p.name} [generator: ${p.problem}]`);
});

describe("the corpus itself", () => {
  it("has at least 150 cases with unique names", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    const names = CASES.map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it("covers every required code, the main ones several times", () => {
    const count = (code: string) => CASES.filter((c) => c.expect.code === code).length;
    const missing = [...MUST, ...ALSO].filter((code) => count(code) === 0);
    expect(missing).toEqual([]);
    for (const code of MUST_SEVERAL) expect(count(code), code).toBeGreaterThanOrEqual(3);
    expect(CASES.filter((c) => c.expect.code.startsWith("yaml/")).length).toBeGreaterThan(10);
  });
});

describe("hazardous but valid input", () => {
  const text = (path: string) => readFileSync(join(FIXTURE, path), "utf8");

  it("accepts a descriptor that starts with a byte order mark", async () => {
    const path = "packages/dockerImages/contrailApi.yaml";
    const plain = await generateWith({ files: {} });
    const bom = await generateWith({ files: { [path]: `\uFEFF${text(path)}` } });
    expect(bom.result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(bom.result.ok).toBe(true);
    expect(bom.result.files).toEqual(plain.result.files);
  });

  it("generates byte-identical output from descriptors saved with CRLF line endings", async () => {
    const paths = [
      "packages/dockerImages/contrailApi.yaml",
      "packages/locksmith.yaml",
      "packages/pins.yaml",
      "packages/dockerImages/pulled/kubernetesBaseImage.yaml",
    ];
    const lf = await generateWith({ files: {} });
    const crlf = await generateWith({
      files: Object.fromEntries(paths.map((p) => [p, text(p).replace(/\n/g, "\r\n")])),
    });
    expect(lf.result.ok).toBe(true);
    expect(crlf.result.ok).toBe(true);
    expect(lf.result.files.size).toBeGreaterThan(0);
    expect([...crlf.result.files.keys()]).toEqual([...lf.result.files.keys()]);
    for (const [path, content] of lf.result.files) {
      expect(crlf.result.files.get(path), path).toBe(content);
    }
  });
});
