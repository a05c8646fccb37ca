// The generated tree against the original package set: every attribute path of
// test/parity/attributes.txt (written from the reference inventory) exists and instantiates with
// the offline harness under both nixpkgs profiles, and every dropped path is explained in the
// README. The list is about the original: what the set adds needs no line here.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  HARNESS_PROFILES,
  REPO,
  currentStops,
  nixEval,
  nixTestsEnabled,
  packageSetExpr,
  repoWithDigests,
} from "./helpers.ts";

process.env.NIX_CONFIG = "substituters =\n";

type Tag = "" | "function";
interface Entry {
  readonly path: string;
  readonly tag: Tag;
  readonly line: number;
}

/** The list: `<path> [tag]`, `- <path>` (dropped); `#` comments. */
function readList(): { kept: Entry[]; dropped: Entry[] } {
  const kept: Entry[] = [];
  const dropped: Entry[] = [];
  const text = readFileSync(join(REPO, "test/parity/attributes.txt"), "utf8");
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") return;
    const match = /^(- )?([A-Za-z_][\w.]*)(?:\s+(function))?$/.exec(line);
    if (match === null)
      throw new Error(`test/parity/attributes.txt:${i + 1}: cannot read "${raw}"`);
    const entry = { path: match[2]!, tag: (match[3] ?? "") as Tag, line: i + 1 };
    if (match[1] === "- ") dropped.push(entry);
    else kept.push(entry);
  });
  return { kept, dropped };
}

interface Found {
  path: string;
  exists: boolean;
  kind: string | null;
  instantiates: boolean;
  drvPath: string | null;
}

/** With --read-write-mode, so the derivations it instantiates are written. */
const evalJson = (expr: string): unknown => nixEval(["--read-write-mode", "-E", expr]);

const WALKERS = join(REPO, "test/nix/walkers");
const nixList = (paths: string[]) =>
  `[ ${paths
    .map(
      (p) =>
        `[ ${p
          .split(".")
          .map((n) => JSON.stringify(n))
          .join(" ")} ]`,
    )
    .join(" ")} ]`;

const list = readList();

describe("the attribute list itself", () => {
  it("names every path once", () => {
    const all = [...list.kept, ...list.dropped].map((e) => e.path);
    expect(all.filter((p, i) => all.indexOf(p) !== i)).toEqual([]);
    expect(list.kept.length).toBeGreaterThanOrEqual(110);
  });

  it("every dropped path is explained in the README", () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const section = readme.split(/^## /m).find((s) => s.startsWith("Parity with the original"));
    expect(section, "README section 'Parity with the original'").toBeDefined();
    for (const entry of list.dropped) {
      // A table row naming the path, with a reason in the next cell.
      const row = new RegExp(
        `^\\|[^|\\n]*\`${entry.path.replace(/\./g, "\\.")}\`[^|\\n]*\\|\\s*\\S`,
        "m",
      );
      expect(section!, entry.path).toMatch(row);
    }
  });
});

describe.runIf(nixTestsEnabled())("parity with the original package set", () => {
  let digestRoot = "";
  // What the upgrade report says stops under a current nixpkgs, for the repository and for a copy
  // whose pulled images carry digests.
  let stops: string[] = [];
  let stopsWithDigests: string[] = [];
  const under = (list: readonly string[], path: string) =>
    list.some((s) => path === s || path.startsWith(`${s}.`));
  beforeAll(async () => {
    digestRoot = await repoWithDigests();
    stops = [...(await currentStops(REPO)).keys()];
    stopsWithDigests = [...(await currentStops(digestRoot)).keys()];
  });

  describe.each(Object.entries(HARNESS_PROFILES))("with the %s harness", (profile, harness) => {
    const current = profile === "nixpkgs-current";
    const setExpr = (root: string) => packageSetExpr(harness, root);
    const lookUp = (root: string, paths: string[]) =>
      evalJson(`import ${WALKERS}/attributes.nix (${setExpr(root)}) ${nixList(paths)}`) as Found[];

    let found: Map<string, Found>;
    beforeAll(() => {
      // What stops under the current profile may stop uncatchably (a missing attribute), which
      // would end the whole lookup: test/upgrade-report.test.ts checks each of those alone.
      const paths = [...list.kept, ...list.dropped]
        .map((e) => e.path)
        .filter((p) => !current || !under(stops, p));
      found = new Map(lookUp(REPO, paths).map((f) => [f.path, f]));
    });

    it("has every listed attribute, and each instantiates", () => {
      const problems: string[] = [];
      for (const entry of list.kept) {
        const f = found.get(entry.path);
        const where = `attributes.txt:${entry.line} ${entry.path}`;
        if (f === undefined) continue; // stops under the current profile, as the report says
        if (!f.exists) problems.push(`${where}: missing`);
        else if (entry.tag === "function") {
          if (f.kind !== "function") problems.push(`${where}: a ${f.kind}, not a function`);
        } else if (f.kind !== "derivation") {
          problems.push(`${where}: a ${f.kind}, not a derivation`);
        } else if (!f.instantiates) problems.push(`${where}: does not instantiate`);
      }
      expect(problems).toEqual([]);
    });

    it("has none of the dropped attributes", () => {
      const present = list.dropped.filter((e) => found.get(e.path)?.exists).map((e) => e.path);
      expect(present).toEqual([]);
    });

    it.runIf(current)(
      "with digests on the pulled images, what only the digests stopped instantiates",
      () => {
        const paths = list.kept
          .filter((e) => e.tag === "" && under(stops, e.path) && !under(stopsWithDigests, e.path))
          .map((e) => e.path);
        expect(paths.length).toBeGreaterThan(10);
        const withDigests = lookUp(digestRoot, paths);
        expect(withDigests.filter((f) => !f.instantiates).map((f) => f.path)).toEqual([]);
      },
    );
  });
});
