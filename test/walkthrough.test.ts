// The README's "Add an image in five minutes", run as written on a copy of the fixture set made a
// git repository: each `% command` of its console blocks (exit 0 unless the line ends with
// `# exits N`; the output shown is an excerpt that must be printed), each `yaml title="<path>"`
// block written to its path, in the order of the section. `npx nixgen` is this repository's bin,
// `./test/nix/` its harness; the commit runs the pre-commit hook of .githooks/ for real.

import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO, missingLines, nixTestsEnabled } from "./helpers.ts";
import { fixtureProject } from "./workspace.ts";

process.env.NIX_CONFIG = "substituters =\n";

type Step =
  | { readonly command: string; readonly exit: number; readonly output: string[] }
  | { readonly file: string; readonly text: string };

const SECTION = "### Add an image in five minutes\n";

/** The section's steps, in order. */
function steps(readme: string): Step[] {
  const start = readme.indexOf(SECTION);
  if (start === -1) throw new Error(`README.md has no "${SECTION.trim()}" section`);
  const end = readme.indexOf("\n### ", start + SECTION.length);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const found: Step[] = [];
  for (const [, info, body] of section.matchAll(/^```(.*)\n([\s\S]*?)^```$/gm)) {
    const title = /^yaml title="([^"]+)"$/.exec(info!);
    if (title !== null) {
      found.push({ file: title[1]!, text: body! });
      continue;
    }
    if (info !== "console") continue;
    for (const line of body!.split("\n")) {
      if (line.startsWith("% ")) {
        const exits = /\s+#\s*exits (\d+)$/.exec(line);
        const command = exits === null ? line.slice(2) : line.slice(2, exits.index);
        found.push({ command, exit: Number(exits?.[1] ?? 0), output: [] });
      } else if (line !== "") {
        const last = found.at(-1);
        if (last === undefined || !("command" in last)) throw new Error(`output before a command`);
        last.output.push(line);
      }
    }
  }
  return found;
}

/** The words of a README command, with this repository's bin and harness. */
function argv(command: string): string[] {
  const words = command.match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"(.*)"$/, "$1"));
  const [first, second, ...rest] = words;
  const adapted =
    first === "npx" && second === "nixgen"
      ? [process.execPath, join(REPO, "bin/nixgen.mjs"), ...rest]
      : [first!, ...(second === undefined ? [] : [second]), ...rest];
  return adapted.map((w) => w.replace(/^\.\/test\/nix\//, `${join(REPO, "test/nix")}/`));
}

/** Git with an identity of its own, whatever the machine's configuration. */
const GIT_ENV = {
  GIT_AUTHOR_NAME: "Maintainer",
  GIT_AUTHOR_EMAIL: "maintainer@example.org",
  GIT_COMMITTER_NAME: "Maintainer",
  GIT_COMMITTER_EMAIL: "maintainer@example.org",
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: "/nonexistent",
};

describe.runIf(nixTestsEnabled())("the README's walkthrough, as written", () => {
  const walkthrough = steps(readFileSync(join(REPO, "README.md"), "utf8"));
  let root: string;
  const inRoot = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(args[0]!, args.slice(1), {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, ...GIT_ENV, ...env },
    });

  beforeAll(async () => {
    // The fixture set, with the repository's default.nix and .gitignore, as a clone: committed,
    // the hook on.
    root = await fixtureProject();
    for (const file of ["default.nix", ".gitignore"]) cpSync(join(REPO, file), join(root, file));
    for (const args of [
      ["git", "init", "-q"],
      ["git", "config", "core.hooksPath", join(REPO, ".githooks")],
      ["git", "add", "."],
      ["git", "commit", "-q", "-m", "the set"],
    ]) {
      const done = inRoot(args);
      expect(done.status, `${args.join(" ")}\n${done.stderr}`).toBe(0);
    }
  });

  it("adds, edits, generates, checks, builds and commits", () => {
    expect(walkthrough.filter((s) => "file" in s).length).toBeGreaterThanOrEqual(2);
    expect(walkthrough.filter((s) => "command" in s).length).toBeGreaterThanOrEqual(8);
    for (const step of walkthrough) {
      if ("file" in step) {
        mkdirSync(dirname(join(root, step.file)), { recursive: true });
        writeFileSync(join(root, step.file), step.text);
        continue;
      }
      const done = inRoot(argv(step.command));
      const printed = `${done.stdout}\n${done.stderr}`;
      expect(done.status, `${step.command}\n${printed}`).toBe(step.exit);
      expect(missingLines(step.output, printed), `${step.command}\n${printed}`).toEqual([]);
    }
    // Everything was committed: the descriptors, generated/ and the docs.
    const status = inRoot(["git", "status", "--porcelain"]);
    expect(status.stdout).toBe("");
    const files = inRoot(["git", "show", "--name-only", "--format=", "HEAD"]).stdout;
    expect(files).toContain("packages/dockerImages/greeter.yaml");
    expect(files).toContain("generated/dockerImages/greeter.nix");
  });

  it("the pre-commit hook refuses a commit with a stale generated/", () => {
    const descriptor = join(root, "packages/greeter.yaml");
    writeFileSync(
      descriptor,
      readFileSync(descriptor, "utf8").replace(/^version: .*$/m, "version: 9.9.9"),
    );
    const head = inRoot(["git", "rev-parse", "HEAD"]).stdout;
    inRoot(["git", "add", "packages/greeter.yaml"]);
    const refused = inRoot(["git", "commit", "-q", "-m", "greeter 9.9.9"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("changed generated/greeter.nix");
    expect(inRoot(["git", "rev-parse", "HEAD"]).stdout).toBe(head);
  });
});
