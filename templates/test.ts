// Template of the `test` kind: the hand-written Nix file beside the descriptor, called with the
// package set's callPackage, the descriptor's arguments and its own images (common.nixCodeFile).
// Each image is a file of its own beside the test's file (generated/test/<test>/<image>.nix),
// compiled by the dockerImage template. The images are bound once, passed to the test's file and
// added to its result (`test.<name>.images.<image>`), which stays the test's derivation.

import { nix, type NixFile } from "../generator/nix/index.ts";
import type { Test } from "../generator/model.ts";
import { nixCodeFile } from "./common.ts";
import { emitDockerImage } from "./dockerImage.ts";
import { LetNames, referenceHeads } from "./names.ts";

/** generated/-relative path of the file of one of a test's images. */
export const testImagePath = (test: Test, image: string): string =>
  `${test.attrPath.join("/")}/${image}.nix`;

export function emitTest(test: Test, filePath: string): NixFile {
  if (test.images.length === 0) return nixCodeFile(test.source, test, filePath);
  const imageDir = test.attrPath[test.attrPath.length - 1]!;
  // The set of the images is `images`, unless an argument refers to a package of that name.
  const imagesName = new LetNames(["callPackage", ...referenceHeads(test.arguments)]).fresh(
    "images",
  );
  const images = nix.attrs(
    test.images.map((i) =>
      nix.bind(
        [i.name],
        nix.call(nix.ident("callPackage"), nix.path(`./${imageDir}/${i.name}.nix`), nix.attrs([])),
      ),
    ),
  );
  const imagesBinding =
    imagesName === "images" ? nix.inherit(["images"]) : nix.bind("images", nix.ident(imagesName));
  return nixCodeFile(
    test.source,
    test,
    filePath,
    [
      nix.inherit(
        test.images.map((i) => i.name),
        nix.ident(imagesName),
      ),
    ],
    (call) =>
      nix.let([nix.bind(imagesName, images)], nix.binary("//", call, nix.attrs([imagesBinding]))),
  );
}

/** The files of the test's images, by generated/-relative path. */
export function emitTestImages(test: Test): [string, NixFile][] {
  return test.images.map((i) => [testImagePath(test, i.name), emitDockerImage(i.image)]);
}
