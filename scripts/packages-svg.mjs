#!/usr/bin/env node
// `npm run docs:graph`: the picture of the whole set, docs/packages.svg, drawn by Graphviz's
// `dot` from `nixgen graph` (written beside it as docs/packages.dot). The SVG records the digest
// of the DOT it was drawn from, so a test can tell it is stale without Graphviz. Graphviz is a
// documentation-time tool only (Debian: apt-get install graphviz); the generator never needs it.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = fileURLToPath(new URL("../bin/nixgen.mjs", import.meta.url));
const dotText = execFileSync(process.execPath, [bin, "graph", "--format", "dot", "--root", root], {
  encoding: "utf8",
});
let svg;
try {
  svg = execFileSync("dot", ["-Tsvg"], { input: dotText, encoding: "utf8" });
} catch (error) {
  console.error(`dot (Graphviz) failed or is missing: ${error.message}`);
  process.exit(2);
}
const digest = createHash("sha256").update(dotText).digest("hex");
const marked = svg.replace(
  /(<svg[^>]*>)/,
  `$1\n<!-- drawn from packages.dot, sha256 ${digest} -->`,
);
writeFileSync(new URL("../docs/packages.dot", import.meta.url), dotText);
writeFileSync(new URL("../docs/packages.svg", import.meta.url), marked);
console.log(`docs/packages.svg drawn from docs/packages.dot (${dotText.split("\n").length} lines)`);
