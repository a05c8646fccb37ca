// Template of the `test` kind: the hand-written Nix file beside the descriptor, called with the
// package set's callPackage and the descriptor's arguments.

import { relative } from "node:path/posix";
import { nix, type NixFile } from "../generator/nix/index.ts";
import type { Test } from "../generator/model.ts";
import { packageFile, refExpr } from "./common.ts";
import { GENERATED_DIR } from "../generator/write.ts";

export function emitTest(test: Test, filePath: string): NixFile {
  // From generated/<filePath> back to the repository's packages/.
  const fromDir = `${GENERATED_DIR}/${filePath}`.split("/").slice(0, -1).join("/");
  const target = relative(fromDir, test.nixFile);
  const body = nix.call(
    nix.ident("callPackage"),
    nix.path(target.startsWith(".") ? target : `./${target}`),
    nix.attrs(test.arguments.map((a) => nix.bind([a.name], refExpr(a.value)))),
  );
  return packageFile(
    test.source,
    ["callPackage", ...test.arguments.map((a) => a.value.ref[0]!)],
    body,
  );
}
