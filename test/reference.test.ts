// Good input: descriptors of every kind, drawn from the original package set, validate and
// resolve; the schemas' own examples validate; and text computed from descriptors matches the
// original's byte for byte.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { Expander } from "../generator/expand.ts";
import { loadPackageSet } from "../generator/index.ts";
import { KINDS, KIND_SCHEMAS } from "../generator/kinds.ts";
import type { DockerImage, Package } from "../generator/model.ts";
import { parseBytes } from "../generator/parse.ts";
import { validate } from "../generator/validate.ts";
import { loadSchemas } from "../generator/validators.ts";
import { configText } from "../templates/ini.ts";
import { REPO } from "./helpers.ts";

const FIXTURE = join(REPO, "test/fixtures/reference");

describe("the reference package set", () => {
  it("validates and resolves with every kind, fragments included", async () => {
    const { set, diagnostics } = await loadPackageSet(FIXTURE);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const kinds = new Set<string>(set!.packages.map((p: Package) => p.kind));
    if (set!.pins !== null) kinds.add("pins");
    if (set!.hydraProjects.length > 0) kinds.add("hydraProject");
    kinds.add("fragment"); // contrailApi below is made of fragments
    expect([...kinds].sort()).toEqual([...KINDS].sort());
    expect(set!.hydraProjects[0]!.jobsets.map((j) => j.name)).toContain("trunk");
  });

  it("renders contrail-api.conf.ctmpl exactly as the original did", async () => {
    const { set } = await loadPackageSet(FIXTURE);
    const api = set!.packages.find((p) => p.attrPath.join(".") === "dockerImages.contrailApi");
    const service = (api as DockerImage).services[0]!;
    expect(service.user).toBe("root");
    expect(service.fluentd?.source).toEqual({ type: "stdout" });
    const file = service.configFiles[0]!;
    expect(file.name).toBe("contrail-api.conf.ctmpl");
    const text = configText(file.content);
    expect(text.every((p) => typeof p === "string")).toBe(true);
    const expected = readFileSync(join(FIXTURE, "expected/contrail-api.conf.ctmpl"), "utf8");
    expect(text.join("")).toBe(expected);
    expect((api as DockerImage).extraCommands?.join("")).toContain("etc/contrail/vnc_api_lib.ini");
  });
});

describe("schema examples", () => {
  const schemas = loadSchemas();
  const cases = KINDS.flatMap((kind) => {
    const examples = (schemas.get(KIND_SCHEMAS[kind])!.examples as unknown[] | undefined) ?? [];
    return examples.map((example, i) => ({ kind, i, example }));
  });

  it("every kind has a complete example", () => {
    for (const kind of KINDS)
      expect(
        cases.some((c) => c.kind === kind),
        kind,
      ).toBe(true);
  });

  it.each(cases)("$kind example $i validates against its schema", ({ kind, example }) => {
    const path = `packages/example/${kind}.yaml`;
    const file = { path, attrPath: ["example", kind] };
    const parsed = parseBytes(file, new TextEncoder().encode(stringify(example)));
    const checked = validate(new Expander([]).descriptor(parsed.descriptor!, undefined));
    expect(checked.diagnostics).toEqual([]);
    expect(checked.valid?.kind).toBe(kind);
  });
});
