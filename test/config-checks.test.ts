// consul-template files with `check: { yaml: true, mock }` are rendered against their mock by
// consulTemplateMock and linted as YAML when built. With the harness (whose consul-template-mock
// is test/nix/harness/programs/consul-template-mock.py): the two checked templates of the package
// set render, against their mocks, to the YAML written by hand under test/expected/rendered/, and a
// template that renders to broken YAML fails its build.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { generate } from "../generator/index.ts";
import {
  CONTRAIL_HARNESS,
  HARNESS_PROFILES,
  REPO,
  copyOfRepo,
  nixTestsEnabled,
  run,
  tempDir,
} from "./helpers.ts";

process.env.NIX_CONFIG = "substituters =\n";

interface CheckedFile {
  template: string;
  check: { yaml: boolean; mock: unknown };
}

/** The checked config file of the first service of an image descriptor. */
function checkedFile(image: string): CheckedFile {
  const text = readFileSync(join(REPO, "packages/dockerImages", `${image}.yaml`), "utf8");
  const doc = parse(text) as { services: { configFiles: CheckedFile[] }[] };
  return doc.services[0]!.configFiles[0]!;
}

const CASES = [
  ["locksmithWorker", "locksmith-config.yaml"],
  ["skydiveAnalyzer", "skydive.yml"],
] as const;

describe.runIf(nixTestsEnabled())("YAML-checked consul-template files", () => {
  describe.each(Object.entries(HARNESS_PROFILES))("with the %s harness", (_, harness) => {
    const args = ["--arg", "nixpkgs", harness, "--arg", "contrail", CONTRAIL_HARNESS];

    it.each(CASES)("%s's template renders against its mock to the expected YAML", (image, name) => {
      const built = run("nix-build", [
        "--no-out-link",
        join(REPO, "generated"),
        "-A",
        "consulTemplateMock",
        ...args,
      ]);
      expect(built.status, built.stderr).toBe(0);
      const file = checkedFile(image);
      expect(file.check.yaml).toBe(true);
      const dir = tempDir("nixgen-render-");
      writeFileSync(join(dir, "template"), file.template);
      writeFileSync(join(dir, "mock.json"), JSON.stringify(file.check.mock));
      const mock = join(built.stdout.trim(), "bin/consul-template-mock");
      const rendered = run(mock, [join(dir, "template"), join(dir, "mock.json")]);
      expect(rendered.status, rendered.stderr).toBe(0);
      expect(rendered.stdout).toBe(
        readFileSync(join(REPO, "test/expected/rendered", name), "utf8"),
      );
    });

    it("a template that renders to broken YAML fails its build", async () => {
      const root = copyOfRepo();
      const path = join(root, "packages/dockerImages/locksmithWorker.yaml");
      // A key indented under the plain scalar before it: "mapping values are not allowed here".
      const text = readFileSync(path, "utf8");
      expect(text).toContain("\n          health: {{");
      writeFileSync(path, text.replace("\n          health: {{", "\n             health: {{"));
      const result = await generate({ root });
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const build = run("nix-build", [
        "--no-out-link",
        join(root, "generated"),
        "-A",
        "dockerImages.locksmithWorker.perpServices.locksmith-worker",
        ...args,
      ]);
      expect(build.status).not.toBe(0);
      expect(build.stderr).toMatch(/config\.yaml\.ctmpl/);
      expect(build.stderr).toMatch(/rendered\.yaml/);
    });
  });
});
