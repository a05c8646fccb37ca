// Template of the `test` kind: the hand-written Nix file beside the descriptor, called with the
// package set's callPackage, the descriptor's arguments and its own images (common.nixCodeFile).
// Each image is a file of its own beside the test's file (generated/test/<test>/<image>.nix),
// compiled by the dockerImage template.

import { nix, type NixFile } from "../generator/nix/index.ts";
import type { Test } from "../generator/model.ts";
import { nixCodeFile } from "./common.ts";
import { emitDockerImage } from "./dockerImage.ts";

/** generated/-relative path of the file of one of a test's images. */
export const testImagePath = (test: Test, image: string): string =>
  `${test.attrPath.join("/")}/${image}.nix`;

export function emitTest(test: Test, filePath: string): NixFile {
  const imageDir = test.attrPath[test.attrPath.length - 1]!;
  return nixCodeFile(
    test.source,
    test,
    filePath,
    test.images.map((i) =>
      nix.bind(
        [i.name],
        nix.call(nix.ident("callPackage"), nix.path(`./${imageDir}/${i.name}.nix`), nix.attrs([])),
      ),
    ),
  );
}

/** The files of the test's images, by generated/-relative path. */
export function emitTestImages(test: Test): [string, NixFile][] {
  return test.images.map((i) => [testImagePath(test, i.name), emitDockerImage(i.image)]);
}
