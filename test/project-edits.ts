// Edits of a project on disk, shared by the tests that run random sequences of them against the
// caches: the files under a folder, and a fuzzer mutation applied to packages/ and to the map of
// its files that the next mutation starts from.

import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { mutate } from "./fuzz/mutate.ts";

/** Files under `dir` of the project, by path relative to the project root. */
export function filesUnder(root: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(root, sub), { withFileTypes: true })) {
      const path = `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else found.push(path);
    }
  };
  walk(dir);
  return found.sort();
}

/** Applies a mutation of the fuzzer to the project and to `packages`, its files by path. */
export function applyMutation(
  root: string,
  packages: Map<string, Uint8Array>,
  edit: Parameters<typeof mutate>[1],
): void {
  for (const [path, content] of mutate(packages, edit).files) {
    rmSync(join(root, path), { recursive: true, force: true });
    if (content === null) {
      packages.delete(path);
      continue;
    }
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), bytes);
    packages.set(path, Buffer.from(bytes));
  }
}
