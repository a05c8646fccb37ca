// Template of the `test` kind: the hand-written Nix file beside the descriptor, called with the
// package set's callPackage, the descriptor's arguments and its own images. Each image is a file
// of its own beside the test's file (generated/test/<test>/<image>.nix), compiled by the
// dockerImage template.

import { relative } from "node:path/posix";
import { nix, type NixFile } from "../generator/nix/index.ts";
import type { Test } from "../generator/model.ts";
import { packageFile, refExpr } from "./common.ts";
import { emitDockerImage } from "./dockerImage.ts";
import { GENERATED_DIR } from "../generator/write.ts";

/** generated/-relative path of the file of one of a test's images. */
export const testImagePath = (test: Test, image: string): string =>
  `${test.attrPath.join("/")}/${image}.nix`;

export function emitTest(test: Test, filePath: string): NixFile {
  // From generated/<filePath> back to the repository's packages/.
  const fromDir = `${GENERATED_DIR}/${filePath}`.split("/").slice(0, -1).join("/");
  const target = relative(fromDir, test.nixFile);
  const imageDir = test.attrPath[test.attrPath.length - 1]!;
  const body = nix.call(
    nix.ident("callPackage"),
    nix.path(target.startsWith(".") ? target : `./${target}`),
    nix.attrs([
      ...test.arguments.map((a) => nix.bind([a.name], refExpr(a.value))),
      ...test.images.map((i) =>
        nix.bind(
          [i.name],
          nix.call(
            nix.ident("callPackage"),
            nix.path(`./${imageDir}/${i.name}.nix`),
            nix.attrs([]),
          ),
        ),
      ),
    ]),
  );
  return packageFile(
    test.source,
    ["callPackage", ...test.arguments.map((a) => a.value.ref[0]!)],
    body,
  );
}

/** The files of the test's images, by generated/-relative path. */
export function emitTestImages(test: Test): [string, NixFile][] {
  return test.images.map((i) => [testImagePath(test, i.name), emitDockerImage(i.image)]);
}
