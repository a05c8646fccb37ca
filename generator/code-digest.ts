// A digest of the running generator: its code (the sources, or the bundle and its prebuilt
// parts), the templates and schemas it reads at run time, and the YAML library's version. Every
// cache is keyed by it, so a changed generator never reads what an older one wrote.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

/** Folders read at run time beside the code (the same paths from the sources and the bundle). */
const DATA_DIRS = ["../templates", "../schemas", "../nixpkgs"];

let digest: string | undefined;

function addFolder(hash: ReturnType<typeof createHash>, dir: string, keep: (f: string) => boolean) {
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(keep).sort();
  for (const file of files) {
    const path = join(dir, file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      continue; // a folder
    }
    hash.update(`${file}\0${bytes.length}\0`).update(bytes);
  }
}

/** Computed once per process: the generator does not change while it runs. */
export function generatorDigest(): string {
  if (digest !== undefined) return digest;
  const hash = createHash("sha256");
  const yaml = createRequire(import.meta.url)("yaml/package.json") as { version: string };
  hash.update(`yaml ${yaml.version}\0`);
  addFolder(hash, HERE, (f) => /\.(ts|mjs|cjs|json)$/.test(f));
  for (const dir of DATA_DIRS) addFolder(hash, join(HERE, dir), () => true);
  digest = hash.digest("hex");
  return digest;
}
