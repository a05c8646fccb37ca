// docs/catalog.md and the picture of the set (docs/packages.svg, drawn by `npm run docs:graph`
// from docs/packages.dot): generated, and checked for staleness. The catalog is compared by
// `nixgen check` like docs/descriptors.md; the picture records the digest of the DOT it was drawn
// from, so its staleness is checked here without Graphviz.

import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate, loadPackageSet } from "../generator/index.ts";
import { REPO, run } from "./helpers.ts";
import { fixtureProject } from "./workspace.ts";

const read = (path: string) => readFileSync(join(REPO, path), "utf8");

describe("the catalog", () => {
  it("has a section for every image and a row for every pulled image and Debian package", async () => {
    const { set } = await loadPackageSet(REPO, { nixCheck: false });
    const catalog = read("docs/catalog.md");
    for (const p of set!.packages) {
      const listed = ["dockerImage", "pulledImage", "debianPackage"].includes(p.kind);
      const named = catalog.includes(`[\`${p.attrPath.join(".")}\`](../${p.source})`);
      expect(named, p.attrPath.join(".")).toBe(listed || named);
      if (listed) expect(named, p.attrPath.join(".")).toBe(true);
    }
  });

  it("every link leads to a file of the repository", () => {
    const catalog = read("docs/catalog.md");
    const links = [...catalog.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(50);
    const missing = links.filter((l) => !existsSync(join(REPO, "docs", l)));
    expect(missing).toEqual([]);
  });

  it("is stale once an image changes, and generate writes it again", async () => {
    const root = await fixtureProject();
    expect((await generate({ root, check: true })).catalog.stale).toBe(false);
    const descriptor = join(root, "packages/dockerImages/contrailApi.yaml");
    writeFileSync(
      descriptor,
      readFileSync(descriptor, "utf8").replace(
        "description: contrail-api server under perp",
        "description: the API",
      ),
    );
    const checked = await generate({ root, check: true });
    expect(checked.catalog.stale).toBe(true);
    expect(checked.ok).toBe(false);
    expect((await generate({ root })).catalog.stale).toBe(true);
    expect((await generate({ root, check: true })).ok).toBe(true);
    expect(readFileSync(join(root, "docs/catalog.md"), "utf8")).toContain(
      "contrailApi.yaml)\n\nthe API\n",
    );
  });
});

describe("the picture of the set", () => {
  it("docs/packages.dot is what `nixgen graph` draws now, and the SVG was drawn from it", () => {
    const graph = run("node", [
      join(REPO, "bin/nixgen.mjs"),
      "graph",
      "--format",
      "dot",
      "--root",
      REPO,
    ]);
    expect(graph.status, graph.stderr).toBe(0);
    const dot = read("docs/packages.dot");
    expect(dot, "run `npm run docs:graph`").toBe(graph.stdout);
    const digest = createHash("sha256").update(dot).digest("hex");
    expect(read("docs/packages.svg"), "run `npm run docs:graph`").toContain(
      `<!-- drawn from packages.dot, sha256 ${digest} -->`,
    );
    expect(dirname("docs/packages.svg")).toBe("docs");
  });
});
