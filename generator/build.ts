// `npm run build`: the schema validators as code (generator/validators.ts), so that a run loads
// them instead of compiling them, the descriptor reference rendered from the schemas, and the bundle of the CLI (dist/nixgen.mjs). The bundle is split
// at the CLI's dynamic imports, so that `--help` or a usage error loads the argument parser only,
// and each command what it needs. The build starts from an empty dist/.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { PRERENDERED_DOCS, renderDocs } from "./index.ts";
import { schemasDigest, validatorsCode } from "./validators.ts";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
// Chunks of an earlier build would stay beside the new ones.
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
writeFileSync(`${dist}validators.cjs`, validatorsCode());
// The descriptor reference, which every run compares with docs/descriptors.md.
writeFileSync(PRERENDERED_DOCS, JSON.stringify({ schemas: schemasDigest(), text: renderDocs() }));

await build({
  entryPoints: { nixgen: fileURLToPath(new URL("cli.ts", import.meta.url)) },
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  // Bundled, the dependencies load slower: a command needs only part of each (ajv's compiler is
  // not loaded when the precompiled validators match).
  packages: "external",
  outdir: dist,
  outExtension: { ".js": ".mjs" },
  // Chunks sit beside the entry, one folder below the project as the sources are, so that the
  // paths the generator finds from its own module (../schemas/, ../templates/) hold in both.
  chunkNames: "[name]-[hash]",
  logLevel: "warning",
});
