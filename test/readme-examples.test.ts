// The README's "Usage examples" (the original's, adapted), run against the offline harness with
// nixpkgs 18.03: every nix-build / nix-env / nix-instantiate line runs (built, or instantiated
// where a build needs what the harness cannot give), printed output must match, and every other
// line (docker, ssh, ...) has a check here of what it relies on, so no line goes untested. Output
// shown is an excerpt: its lines must be printed in that order, `...` standing for lines left out,
// compared column by column (the padding follows the longest name of the set).

import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CONTRAIL_HARNESS,
  HARNESS,
  REPO,
  missingLines,
  nixTestsEnabled,
  run,
  tempDir,
} from "./helpers.ts";

process.env.NIX_CONFIG = "substituters =\n";

interface Step {
  readonly command: string;
  /** The lines the README shows the command printing. */
  readonly output: string[];
}

/** The `% command` lines of the section's console blocks, with the output shown after each. */
function examples(): Step[] {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const section = readme.split(/^## /m).find((s) => s.startsWith("Usage examples\n"));
  if (section === undefined) throw new Error('README.md has no "## Usage examples" section');
  const steps: { command: string; output: string[] }[] = [];
  for (const [, block] of section.matchAll(/```console\n([\s\S]*?)```/g)) {
    for (const line of block!.split("\n")) {
      if (line.startsWith("% ")) steps.push({ command: line.slice(2), output: [] });
      else if (line !== "") steps.at(-1)!.output.push(line);
    }
  }
  return steps;
}

/** Builds that need what the harness cannot give: these are instantiated, and why. */
const INSTANTIATE_ONLY: Record<string, string> = {
  "contrail32Cw.test.allInOne": "a NixOS VM test runs only with KVM",
};

const STEPS = examples();
const tmp = tempDir("nixgen-readme-");
const result = join(tmp, "result");
const profile = join(tmp, "profile");
/** What each nix line produced: the result link target, or the printed output. */
const produced = new Map<string, string>();

/** The command with the harness in place of the pinned trees, and outputs kept under tmp. */
function adapt(command: string): { program: string; args: string[]; attr?: string } {
  const words = command
    .replaceAll("$PWD", join(REPO, "."))
    .replaceAll("/path/to/nixpkgs-contrail", CONTRAIL_HARNESS)
    .replaceAll("/path/to/nixpkgs", HARNESS)
    .split(/\s+/);
  const [program, ...args] = words as [string, ...string[]];
  const attr = args[args.indexOf("-A") + 1];
  if (!args.includes("nixpkgs")) args.push("--arg", "nixpkgs", HARNESS);
  if (!args.includes("contrail")) args.push("--arg", "contrail", CONTRAIL_HARNESS);
  if (program === "nix-build") args.push("--out-link", result);
  if (program === "nix-env" && args.includes("-i")) args.push("-p", profile);
  return { program, args, attr };
}

function runStep(step: Step): void {
  const { program, args, attr } = adapt(step.command);
  if (program === "nix-build" && attr !== undefined && attr in INSTANTIATE_ONLY) {
    const drv = run("nix-instantiate", args.slice(0, -2));
    expect(drv.status, drv.stderr).toBe(0);
    produced.set(step.command, drv.stdout.trim());
    return;
  }
  const done = run(program, args);
  expect(done.status, `${step.command}\n${done.stderr}`).toBe(0);
  if (step.output.length > 0) expect(missingLines(step.output, done.stdout)).toEqual([]);
  produced.set(step.command, program === "nix-build" ? readlinkSync(result) : done.stdout);
}

/** Checks of what the other lines rely on, by the program they run. */
const OTHER_LINES: Record<string, (previous: string) => void> = {
  // A docker archive: a gzipped tar with the image's manifest.
  docker: (previous) => {
    if (previous === "") return; // `docker login`
    const listing = run("tar", ["-tzf", previous]);
    expect(listing.status, listing.stderr).toBe(0);
    expect(listing.stdout).toMatch(/^\.?\/?(manifest|repositories)/m);
  },
  // The test's derivation, whose output would hold log.html: instantiated only.
  firefox: (previous) => expect(previous).toMatch(/-vm-test-run-all-in-one\.drv$/),
  // The driver's interactive runner.
  "QEMU_NET_OPTS=": (previous) =>
    expect(existsSync(join(previous, "bin/nixos-run-vms"))).toBe(true),
  // Logs into the VM started by the line before; nothing of the package set to check.
  ssh: () => undefined,
  // The program installed into the profile by `nix-env -i`.
  "push-image": () =>
    expect(readFileSync(join(profile, "bin/push-image"), "utf8")).toContain(
      "docker://r.cwpriv.net/$2",
    ),
};

describe("an excerpt of printed output", () => {
  const printed = "a    1\nbb   2\nccc  3\n";
  it("matches its lines in order, column by column, with ... for lines left out", () => {
    expect(missingLines(["a 1", "...", "ccc 3"], printed)).toEqual([]);
    expect(missingLines(["a 1", "bb 2", "ccc    3"], printed)).toEqual([]);
  });
  it("reports a line not printed, out of order, or skipped without ...", () => {
    expect(missingLines(["a 1", "...", "dd 4"], printed)).toEqual(["dd 4"]);
    expect(missingLines(["...", "ccc 3", "...", "a 1"], printed)).toEqual(["a 1"]);
    expect(missingLines(["a 1", "ccc 3"], printed)).toEqual(["ccc 3"]);
  });
});

describe.runIf(nixTestsEnabled())("the README's usage examples, against the harness", () => {
  beforeAll(() => {
    expect(STEPS.length).toBeGreaterThanOrEqual(14);
  });

  let previous = "";
  for (const step of STEPS) {
    it(step.command, () => {
      const program = step.command.split(/\s+/)[0]!;
      if (/^nix-(build|env|instantiate)$/.test(program)) {
        runStep(step);
        previous = produced.get(step.command)!;
        return;
      }
      const check = Object.entries(OTHER_LINES).find(([p]) => program.startsWith(p));
      expect(check, `no check for the README line "${step.command}"`).toBeDefined();
      check![1](step.command.startsWith("docker login") ? "" : previous);
    });
  }
});
