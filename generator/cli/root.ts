// Which project a command works on: --root, or the nearest folder at or above the current one
// that holds packages/ (as git finds .git). A folder without packages/ is never a project: the
// generator would otherwise write generated/ and docs/ into it.

import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PACKAGES_DIR } from "../discover.ts";
import { EnvironmentError } from "./exit.ts";

const hasPackages = (dir: string): boolean => {
  try {
    return statSync(resolve(dir, PACKAGES_DIR)).isDirectory();
  } catch {
    return false;
  }
};

export function projectRoot(given: string | undefined, cwd: string = process.cwd()): string {
  if (given !== undefined) {
    const root = resolve(cwd, given);
    if (!hasPackages(root)) {
      throw new EnvironmentError(
        `${given} has no ${PACKAGES_DIR}/ folder, so it is not a package set; give the folder that holds ${PACKAGES_DIR}/`,
      );
    }
    return root;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (hasPackages(dir)) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new EnvironmentError(
    `no ${PACKAGES_DIR}/ folder here or in any folder above; run nixgen inside the repository, or pass --root`,
  );
}
