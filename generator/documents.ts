// The generated documents beside generated/: the descriptor reference (docs/descriptors.md),
// rendered from the schemas or taken from the build, and how a document is compared or written.

import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderDescriptorDocs } from "./docs.ts";
import { writeFailure } from "./generated-tree.ts";
import { KINDS, KIND_SCHEMAS, PLACEMENT_TEXT } from "./kinds.ts";
import { loadSchemas, schemasDigest } from "./validators.ts";

let docsText: string | undefined;

/** The reference, rendered once per process: the schemas do not change while it runs. */
export function descriptorDocs(): string {
  docsText ??= prerenderedDocs() ?? renderDocs();
  return docsText;
}

export function renderDocs(): string {
  const schemas = loadSchemas();
  const kinds = [...KINDS].sort().map((kind) => ({
    kind,
    placement: PLACEMENT_TEXT[kind],
    schema: schemas.get(KIND_SCHEMAS[kind])!,
  }));
  return renderDescriptorDocs(kinds, Object.fromEntries(schemas));
}

/** Where `npm run build` writes the reference it renders, with the digest of its schemas. */
export const PRERENDERED_DOCS = fileURLToPath(new URL("../dist/descriptors.json", import.meta.url));

/**
 * The reference the build rendered, when this code is the bundle (whose renderer made it) and the
 * schemas are those it was rendered from: rendering it costs a tenth of a small run.
 */
function prerenderedDocs(): string | undefined {
  const bundled = dirname(fileURLToPath(import.meta.url)) === dirname(PRERENDERED_DOCS);
  if (!bundled) return undefined;
  try {
    const stored = JSON.parse(readFileSync(PRERENDERED_DOCS, "utf8")) as {
      schemas?: unknown;
      text?: unknown;
    };
    return stored.schemas === schemasDigest() && typeof stored.text === "string"
      ? stored.text
      : undefined;
  } catch {
    return undefined; // not built
  }
}

/** Compare (check) or write (generate) a generated document; true when it was out of date. */
export async function syncDocs(
  root: string,
  path: string,
  text: string,
  write: boolean,
): Promise<boolean> {
  const target = join(root, path);
  const current = await readFile(target, "utf8").catch(() => undefined);
  if (current === text) return false;
  if (write) {
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(`${target}.tmp-${process.pid}`, text);
      await rename(`${target}.tmp-${process.pid}`, target);
    } catch (error) {
      throw writeFailure(root, error) ?? error;
    }
  }
  return true;
}
