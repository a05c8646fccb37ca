// Stage 1, discover: find the descriptors under packages/ and derive each one's attribute path
// from its file path (packages/dockerImages/locksmithWorker.yaml -> dockerImages.locksmithWorker).

import { readdirSync, type Dirent } from "node:fs";
import { isIdentifier } from "./nix/index.ts";
import type { Diagnostic } from "./diagnostics.ts";

import { PACKAGES_DIR } from "./paths.ts";

export { PACKAGES_DIR };

export interface DescriptorFile {
  /** Repository-relative path, e.g. `packages/locksmith.yaml`. */
  readonly path: string;
  readonly attrPath: readonly string[];
}

export interface Discovery {
  readonly files: readonly DescriptorFile[];
  /** Hand-written `.nix` files (repository-relative), which a descriptor beside them must name. */
  readonly nixFiles: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The style of the set: lowerCamelCase names, digits and underscores allowed after the first letter. */
const NAME_STYLE = /^[a-z][A-Za-z0-9_]*$/;
const NIX_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.nix$/;

interface Entry {
  /** Relative to packages/, with `/`. */
  readonly path: string;
  /** What the entry is itself (a link is not followed). */
  readonly dirent: Dirent;
}

/**
 * Every entry under `dir`, folders included, hidden ones too, links not followed; the folders
 * that cannot be read are returned apart. A plain walk: it loads in no time, where a glob
 * library costs a tenth of a small run to start.
 */
function walk(dir: string): { entries: Entry[]; unreadable: string[] } {
  const entries: Entry[] = [];
  const unreadable: string[] = [];
  const visit = (sub: string) => {
    let found: Dirent[];
    try {
      found = readdirSync(sub === "" ? dir : `${dir}/${sub}`, { withFileTypes: true });
    } catch {
      if (sub === "") return; // no packages/ at all: nothing to discover
      unreadable.push(sub);
      return;
    }
    for (const dirent of found) {
      const path = sub === "" ? dirent.name : `${sub}/${dirent.name}`;
      entries.push({ path, dirent });
      if (dirent.isDirectory()) visit(path);
    }
  };
  visit("");
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, unreadable };
}

export async function discover(root: string): Promise<Discovery> {
  const { entries, unreadable } = walk(`${root}/${PACKAGES_DIR}`);
  const files: DescriptorFile[] = [];
  const nixFiles: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const fail = (path: string, code: string, message: string, hint?: string) =>
    diagnostics.push({
      severity: "error",
      code,
      file: `${PACKAGES_DIR}/${path}`,
      line: 0,
      column: 0,
      length: 0,
      field: "",
      message,
      ...(hint === undefined ? {} : { hint }),
    });

  for (const path of unreadable) {
    fail(path, "path/unreadable", "this folder cannot be read (its permissions)");
  }
  for (const entry of entries) {
    const stats = entry.dirent;
    if (stats.isSymbolicLink()) {
      fail(entry.path, "path/symlink", "symbolic links are not allowed under packages/");
      continue;
    }
    const components = entry.path.split("/");
    const name = components[components.length - 1]!;
    if (stats.isDirectory()) {
      const problem = nameProblem(name);
      if (problem !== undefined) {
        fail(entry.path, "path/invalid-name", `folder name ${problem}`, renameHint(name, ""));
      }
      continue;
    }
    if (!stats.isFile()) {
      fail(entry.path, "path/not-a-file", "only descriptor files and folders may live here");
      continue;
    }
    if (name.endsWith(".nix")) {
      if (NIX_FILE_NAME.test(name)) nixFiles.push(`${PACKAGES_DIR}/${entry.path}`);
      else
        fail(
          entry.path,
          "path/invalid-name",
          `${JSON.stringify(name)} is not a valid Nix file name (letters, digits, _ . -)`,
        );
      continue;
    }
    if (!name.endsWith(".yaml")) {
      const hint = name.endsWith(".yml") ? `rename it to ${name.slice(0, -4)}.yaml` : undefined;
      fail(
        entry.path,
        "path/not-a-descriptor",
        "expected a descriptor ending in .yaml, or a .nix file named by a descriptor",
        hint,
      );
      continue;
    }
    const stem = name.slice(0, -".yaml".length);
    const problem = nameProblem(stem);
    if (problem !== undefined) {
      fail(entry.path, "path/invalid-name", `file name ${problem}`, renameHint(stem, ".yaml"));
      continue;
    }
    files.push({
      path: `${PACKAGES_DIR}/${entry.path}`,
      attrPath: [...components.slice(0, -1), stem],
    });
  }
  return { files, nixFiles, diagnostics };
}

/** A name in the set's style for one that is not (`locksmith-worker` -> `locksmithWorker`). */
export function styledName(name: string): string | undefined {
  const words = name.split(/[^A-Za-z0-9_]+/).filter((w) => w !== "");
  const joined = words
    .map((w, i) => (i === 0 ? w[0]!.toLowerCase() + w.slice(1) : w[0]!.toUpperCase() + w.slice(1)))
    .join("");
  const styled = /^[a-z]/.test(joined) ? joined : `x${joined}`;
  return words.length > 0 && nameProblem(styled) === undefined ? styled : undefined;
}

function renameHint(name: string, suffix: string): string | undefined {
  const styled = styledName(name);
  return styled === undefined ? undefined : `rename it to ${styled}${suffix}`;
}

/** Why `name` cannot be an attribute name of the set, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (!isIdentifier(name)) {
    return `${JSON.stringify(name)} is not a valid Nix identifier (letters, digits, _; no keywords)`;
  }
  if (!NAME_STYLE.test(name)) {
    return `${JSON.stringify(name)} does not follow the set's style: start with a lower-case letter, then letters, digits or _`;
  }
  return undefined;
}
