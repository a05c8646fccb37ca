// The upgrade report against the current harness profile, attribute by attribute: every attribute
// the report says works under a current nixpkgs instantiates there, and every one it says stops
// does stop, with one of the messages the report expects (its own causes, or those of a package
// it uses). The harness takes its current profile from the same facts (nixpkgs/facts.json), so
// this checks the report's reasoning (references, hand-written files, what uses what), not the
// facts themselves. The README table is the report's.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPackageSet } from "../generator/index.ts";
import { upgradeReport } from "../generator/upgrade-report.ts";
import { markdownTable } from "../generator/cli/upgrade-report.ts";
import {
  HARNESS_PROFILES,
  REPO,
  UNCONFIRMED_STOPS,
  currentStops,
  nixEval,
  nixTestsEnabled,
  packageSetExpr,
  run,
} from "./helpers.ts";

process.env.NIX_CONFIG = "substituters =\n";

const CURRENT = HARNESS_PROFILES["nixpkgs-current"];
const WALKERS = join(REPO, "test/nix/walkers");

/** nix-instantiate on an expression, without waiting (several run at once). */
function instantiate(expr: string): Promise<{ status: number; stderr: string }> {
  return new Promise((done) => {
    const child = spawn("nix-instantiate", ["-E", expr], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => done({ status: status ?? -1, stderr }));
  });
}

/** Runs `jobs` at most `width` at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

const README_START = "<!-- upgrade-report:start -->";
const README_END = "<!-- upgrade-report:end -->";

describe("the upgrade report", () => {
  it("nixgen upgrade-report prints it as text and as JSON, and exits 0", async () => {
    const loaded = await loadPackageSet(REPO, { nixCheck: false });
    const report = upgradeReport(REPO, loaded.packages);
    const bin = join(REPO, "bin/nixgen.mjs");
    const json = run("node", [bin, "upgrade-report", "--root", REPO, "--format", "json"]);
    expect(json.status, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      stops: { attribute: string; causes: { kind: string }[]; through: string[] }[];
      works: string[];
      renamed: { attribute: string; renamedTo: string }[];
    };
    expect(parsed.stops.map((s) => s.attribute)).toEqual(report.stops.map((s) => s.attribute));
    expect(parsed.works.length + parsed.stops.length).toBe(report.attributes.length);
    expect(parsed.renamed).toEqual([
      expect.objectContaining({ attribute: "pkgconfig", renamedTo: "pkg-config" }),
    ]);
    const text = run("node", [bin, "upgrade-report", "--root", REPO]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(
      `${report.stops.length} of ${report.attributes.length} attributes stop`,
    );
    expect(text.stdout).toMatch(/^ {2}openstackClient: pkgs\.python27Full throws/m);
  });

  it("is the table of the README, between its markers", async () => {
    const loaded = await loadPackageSet(REPO, { nixCheck: false });
    const table = markdownTable(upgradeReport(REPO, loaded.packages));
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const start = readme.indexOf(README_START);
    const end = readme.indexOf(README_END);
    expect(start).toBeGreaterThan(0);
    // Cells compared, not padding: the README is formatted by prettier.
    const rows = (text: string) =>
      text
        .trim()
        .split("\n")
        .map((row) => row.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/^-+$/, "---")));
    expect(rows(readme.slice(start + README_START.length, end))).toEqual(rows(table));
  });
});

describe.runIf(nixTestsEnabled())("the upgrade report against the current profile", () => {
  let stops: Map<string, string[]>;
  let attributes: string[];
  beforeAll(async () => {
    stops = await currentStops(REPO);
    const loaded = await loadPackageSet(REPO, { nixCheck: false });
    attributes = loaded.packages.map((p) => p.attrPath.join("."));
  });

  it.each(Object.entries(HARNESS_PROFILES))(
    "the %s harness refuses unfree and insecure derivations unless config permits them",
    (_, harness) => {
      const probe = (config: string) =>
        nixEval([
          "-E",
          `let
            pkgs = import ${harness} { config = ${config}; };
            ok = d: (builtins.tryEval d.drvPath).success;
          in [
            (ok (pkgs.stdenv.mkDerivation { name = "bsl"; meta.license = pkgs.lib.licenses.bsl11; }))
            (ok (pkgs.stdenv.mkDerivation { name = "old-1.0"; meta.knownVulnerabilities = [ "CVE" ]; }))
            (ok (pkgs.stdenv.mkDerivation { name = "free"; meta.license = pkgs.lib.licenses.mit; }))
          ]`,
        ]);
      expect(probe("{ }")).toEqual([false, false, true]);
      expect(probe(`{ allowUnfree = true; permittedInsecurePackages = [ "old-1.0" ]; }`)).toEqual([
        true,
        true,
        true,
      ]);
    },
  );

  it("predicts some stops and some attributes that work (the comparison means something)", () => {
    expect(stops.size).toBeGreaterThan(10);
    expect(attributes.length - stops.size).toBeGreaterThan(10);
  });

  it("every attribute it says works instantiates under the current profile", () => {
    const works = attributes.filter((a) => !stops.has(a));
    const list = works.map(
      (a) =>
        `[ ${a
          .split(".")
          .map((n) => JSON.stringify(n))
          .join(" ")} ]`,
    );
    const found = nixEval([
      "--read-write-mode",
      "-E",
      `import ${WALKERS}/attributes.nix (${packageSetExpr(CURRENT)}) [ ${list.join(" ")} ]`,
    ]) as { path: string; exists: boolean; kind: string; instantiates: boolean }[];
    const broken = found.filter((f) => !f.exists || (f.kind === "derivation" && !f.instantiates));
    expect(broken.map((f) => f.path)).toEqual([]);
    expect(found.filter((f) => f.kind === "derivation").length).toBeGreaterThan(10);
  });

  it("every attribute it says stops stops, with a message it expects", async () => {
    const entries = [...stops];
    const results = await pool(
      entries.map(
        ([attribute]) =>
          () =>
            instantiate(
              `(${packageSetExpr(CURRENT)}).${attribute
                .split(".")
                .map((n) => JSON.stringify(n))
                .join(".")}`,
            ),
      ),
    );
    const wrong = entries.flatMap(([attribute, messages], i) => {
      const { status, stderr } = results[i]!;
      if (UNCONFIRMED_STOPS.has(attribute)) {
        return status === 0 ? [] : [`${attribute}: now stops; drop it from UNCONFIRMED_STOPS`];
      }
      if (status === 0) return [`${attribute}: instantiates`];
      if (messages.some((m) => stderr.includes(m))) return [];
      return [
        `${attribute}: expected one of ${JSON.stringify(messages)}, got ${stderr.slice(0, 400)}`,
      ];
    });
    expect(wrong).toEqual([]);
  });
});
