// Shared test helpers: temporary project roots, running the CLI, hashing a tree, and finding Nix.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, loadPackageSet } from "../generator/index.ts";
import { expectedMessage, upgradeReport } from "../generator/upgrade-report.ts";
import { tempDir } from "./temp.ts";

export { tempDir } from "./temp.ts";

export const REPO = fileURLToPath(new URL("..", import.meta.url));
/** The offline nixpkgs stand-ins, one per nixpkgs era the package set must build with. */
export const HARNESS_PROFILES = {
  "nixpkgs-18.03": join(REPO, "test/nix/nixpkgs-18.03"),
  "nixpkgs-current": join(REPO, "test/nix/nixpkgs-current"),
} as const;
/** The default stand-in: nixpkgs release-18.03, the revision the package set pins. */
export const HARNESS = HARNESS_PROFILES["nixpkgs-18.03"];
/** The offline stand-in for nixpkgs-contrail. */
export const CONTRAIL_HARNESS = join(REPO, "test/nix/contrail-harness");

/** A fresh project root holding a copy of the repository's packages/, generated/ and docs/. */
export function copyOfRepo(): string {
  const root = tempDir();
  cpSync(join(REPO, "packages"), join(root, "packages"), { recursive: true });
  cpSync(join(REPO, "generated"), join(root, "generated"), { recursive: true });
  cpSync(join(REPO, "docs"), join(root, "docs"), { recursive: true });
  return root;
}

/** A fresh project root with exactly these files (paths relative to the root). */
export function rootWith(files: Record<string, string | Uint8Array>): string {
  const root = tempDir();
  mkdirSync(join(root, "packages"), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The real `nixgen` (bin/nixgen.mjs) in a child process; `cwd` defaults to the repository. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliRun {
  const result = spawnSync(process.execPath, [join(REPO, "bin/nixgen.mjs"), ...args], {
    cwd: options.cwd ?? REPO,
    encoding: "utf8",
    env: { ...process.env, ...options.env },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** One hash over every file's path and bytes under `dir`. */
export function treeHash(dir: string): string {
  const hash = createHash("sha256");
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const path = sub === "" ? name : `${sub}/${name}`;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else
        hash
          .update(`${path}\0`)
          .update(readFileSync(join(dir, path)))
          .update("\0");
    }
  };
  walk("");
  return hash.digest("hex");
}

export function hasNix(): boolean {
  return spawnSync("nix-instantiate", ["--version"], { encoding: "utf8" }).status === 0;
}

/**
 * Whether the Nix tests run. Without Nix they are skipped with a notice, except in CI
 * (CI=true), where a missing Nix is a failure.
 */
export function nixTestsEnabled(): boolean {
  if (hasNix()) return true;
  if (process.env.CI === "true" || process.env.CI === "1") {
    throw new Error("nix-instantiate is required in CI (Debian: apt-get install nix-bin)");
  }
  console.warn(
    "\n*** nix-instantiate not found: the Nix tests are SKIPPED (apt-get install nix-bin) ***\n",
  );
  return false;
}

export function run(
  command: string,
  args: string[],
  cwd = REPO,
): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Arguments that point the package set at the offline harness instead of the pinned nixpkgs. */
export const HARNESS_ARGS = ["--arg", "nixpkgs", HARNESS, "--arg", "contrail", CONTRAIL_HARNESS];

/** A copy of the repository whose pulled images also carry a (made-up) digest. */
export async function repoWithDigests(): Promise<string> {
  const root = tempDir("nixgen-parity-");
  cpSync(join(REPO, "packages"), join(root, "packages"), { recursive: true });
  const pulled = join(root, "packages/dockerImages/pulled");
  readdirSync(pulled)
    .filter((f) => f.endsWith(".yaml"))
    .forEach((file, i) => {
      const path = join(pulled, file);
      const hex = i.toString(16).padStart(64, "0");
      writeFileSync(
        path,
        readFileSync(path, "utf8") +
          `digest: sha256:${hex}\ndigestSha256: "${"0".repeat(52 - String(i).length)}${i}"\n`,
      );
    });
  const result = await generate({ root });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`generating ${root}: ${JSON.stringify(errors)}`);
  return root;
}

/**
 * Store paths as `<store>/<name without version>`, so expectations hold in both harness profiles
 * (a `=` or `:` after a store path, as in `-javaagent:<jar>=1234:<conf>`, is not part of it).
 */
export function normalise(text: string): string {
  return text.replace(/\/nix\/store\/[a-z0-9]{32}-([^/\s'":=]+)/g, (_, name: string) => {
    return `<store>/${name.replace(/-\d[^/]*$/, "")}`;
  });
}

/** The generated package set of `root` as a Nix expression, with a harness profile for nixpkgs. */
export const packageSetExpr = (harness: string, root: string = REPO): string =>
  `import ${join(root, "generated")} { nixpkgs = ${harness}; contrail = ${CONTRAIL_HARNESS}; }`;

/** `nix-instantiate --eval --strict --json <args>`, parsed; a failed evaluation throws its stderr. */
export function nixEval(args: string[]): unknown {
  const result = run("nix-instantiate", ["--eval", "--strict", "--json", ...args]);
  if (result.status !== 0) throw new Error(`nix-instantiate ${args.join(" ")}\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The shown lines (an excerpt, `...` for lines left out) not printed in their order. */
export function missingLines(shown: string[], printed: string): string[] {
  const columns = (line: string) => line.trim().split(/\s+/).join(" ");
  const rows = printed.split("\n").map(columns);
  let next = 0;
  let gap = false;
  const missing: string[] = [];
  for (const line of shown) {
    if (line.trim() === "...") {
      gap = true;
      continue;
    }
    const at = gap ? rows.indexOf(columns(line), next) : next;
    if (at === -1 || rows[at] !== columns(line)) missing.push(line);
    else next = at + 1;
    gap = false;
  }
  return missing;
}

/**
 * What the upgrade report predicts for a current nixpkgs, for the set at `root`: each attribute
 * that stops, with the messages a current nixpkgs may give for it (its own causes and those of
 * the packages of the set it uses that stop; evaluation reports whichever it reaches first).
 */
export async function currentStops(root: string = REPO): Promise<Map<string, string[]>> {
  const loaded = await loadPackageSet(root, { nixCheck: false });
  const report = upgradeReport(root, loaded.packages);
  const byAttribute = new Map(report.stops.map((s) => [s.attribute, s]));
  const messages = new Map<string, string[]>();
  const of = (attribute: string, seen: Set<string>): string[] => {
    const stop = byAttribute.get(attribute);
    if (stop === undefined || seen.has(attribute)) return [];
    seen.add(attribute);
    return [...stop.causes.map(expectedMessage), ...stop.through.flatMap((t) => of(t, seen))];
  };
  for (const s of report.stops) messages.set(s.attribute, [...new Set(of(s.attribute, new Set()))]);
  return messages;
}

/** A package-set expression without the attributes at the given dotted paths. */
export function withoutAttributes(setExpr: string, paths: Iterable<string>): string {
  const list = [...paths]
    .map(
      (p) =>
        `[ ${p
          .split(".")
          .map((n) => JSON.stringify(n))
          .join(" ")} ]`,
    )
    .join(" ");
  return `let
    remove = set: path:
      if builtins.length path == 1 then builtins.removeAttrs set path
      else if set ? \${builtins.head path} then
        set // { \${builtins.head path} = remove set.\${builtins.head path} (builtins.tail path); }
      else set;
  in builtins.foldl' remove (${setExpr}) [ ${list} ]`;
}

/**
 * Predicted stops the harness cannot show, each with why. They must instantiate under the
 * current profile, so an entry that stops being true fails here and is removed.
 */
export const UNCONFIRMED_STOPS: ReadonlyMap<string, string> = new Map([
  // contrail32Cw reaches these only inside NixOS configurations (the compute node, the test
  // node), which a real evaluation builds and the harness keeps as given.
  [
    "tools.contrailComputeNode",
    "its contrail32Cw packages are in the compute node's NixOS configuration, which the harness does not evaluate",
  ],
  [
    "tools.contrailComputeNodeVm",
    "it starts the compute node's NixOS system (tools.contrailComputeNode), which the harness does not evaluate",
  ],
  [
    "dockerImages.contrailVrouter",
    "its one program starts tools.contrailComputeNodeVm, whose NixOS system the harness does not evaluate",
  ],
  [
    "test.contrailLoadDatabase",
    "its contrail32Cw packages are in the test node's NixOS configuration, which the harness does not evaluate",
  ],
  [
    "test.keystoneK8S",
    "its causes (openstackClient, and vault through the infra modules) are installed by the `config` of NixOS modules, which the harness does not evaluate (it reads only the nodes' and their imports' own environment.systemPackages)",
  ],
]);
