// Checks of the tree as a whole: file/folder clashes, reserved names, each kind in its place.

import type { Diagnostic } from "../diagnostics.ts";
import { isPlaced, PLACEMENT_TEXT, withArticle } from "../kinds.ts";
import { RESERVED_NAMES } from "../model.ts";
import type { ValidDescriptor } from "../validate.ts";
import type { Package } from "../model.ts";
import { error, placeOf } from "./context.ts";

/**
 * Two images of the set with one image name would be tagged alike: the second pushed or loaded
 * would replace the first. Reported at the second, naming the first.
 */
export function checkImageNames(
  descriptors: readonly ValidDescriptor[],
  packages: readonly Package[],
  diagnostics: Diagnostic[],
): void {
  const first = new Map<string, ValidDescriptor>();
  const bySource = new Map(descriptors.map((d) => [d.parsed.file.path, d]));
  for (const p of packages) {
    if (p.kind !== "dockerImage" || p.imageName === "") continue;
    const v = bySource.get(p.source)!;
    if (v.invalidAt.length > 0) continue; // its own errors first (a placeholder name, say)
    const earlier = first.get(p.imageName);
    if (earlier === undefined) {
      first.set(p.imageName, v);
      continue;
    }
    diagnostics.push(
      error(
        v,
        ["imageName"],
        "image/duplicate-name",
        `expected each image name once in the set, found ${JSON.stringify(p.imageName)} also at ${placeOf(earlier, ["imageName"])}; the images would overwrite each other's tag`,
        "give one of them another imageName",
      ),
    );
  }
}

/** File/folder clashes, reserved names and the place of each kind in the tree. */
export function checkTree(
  descriptors: readonly ValidDescriptor[],
  diagnostics: Diagnostic[],
): void {
  const paths = new Set(descriptors.map((v) => v.parsed.file.attrPath.join(".")));
  for (const v of descriptors) {
    const attrPath = v.parsed.file.attrPath;
    const dotted = attrPath.join(".");
    for (let i = 1; i < attrPath.length; i++) {
      const prefix = attrPath.slice(0, i).join(".");
      if (paths.has(prefix)) {
        diagnostics.push(
          error(
            v,
            [],
            "tree/clash",
            `${dotted} lies inside ${prefix}, which is already a package`,
            `rename the folder or the file ${prefix.replaceAll(".", "/")}.yaml`,
          ),
        );
      }
    }
    if (RESERVED_NAMES.has(attrPath[0]!)) {
      diagnostics.push(
        error(
          v,
          [],
          "tree/reserved-name",
          `${JSON.stringify(attrPath[0])} is used by the generated tree itself; choose another name`,
        ),
      );
    }
    if (!isPlaced(v.kind, attrPath)) {
      diagnostics.push(
        error(
          v,
          ["kind"],
          "tree/misplaced",
          `${withArticle(v.kind)} descriptor must live at ${PLACEMENT_TEXT[v.kind]}, found ${v.parsed.file.path}`,
        ),
      );
    }
  }
}
