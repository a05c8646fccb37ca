// Checks of the tree as a whole: file/folder clashes, reserved names, each kind in its place.

import type { Diagnostic } from "../diagnostics.ts";
import { isPlaced, PLACEMENT_TEXT, withArticle } from "../kinds.ts";
import { RESERVED_NAMES } from "../model.ts";
import type { ValidDescriptor } from "../validate.ts";
import { error } from "./context.ts";

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
