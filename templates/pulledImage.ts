// Template of the `pulledImage` kind: a registry image pinned by tag (nixpkgs 18.03) and, for a
// current nixpkgs, by digest. cwLib.pullImage picks the form the nixpkgs given understands.

import { nix, type NixFile } from "../generator/nix/index.ts";
import type { PulledImage } from "../generator/model.ts";
import { packageFile } from "./common.ts";

export function emitPulledImage(image: PulledImage): NixFile {
  const fields = [
    nix.bind(
      "source",
      nix.attrs([
        nix.bind("attrPath", nix.string(image.attrPath.join("."))),
        nix.bind("file", nix.string(image.source)),
      ]),
      { comment: "Named in the error when this nixpkgs needs a pin the descriptor lacks." },
    ),
    nix.bind("imageName", nix.string(image.imageName)),
    nix.bind("imageTag", nix.string(image.imageTag)),
    nix.bind("sha256", nix.string(image.sha256)),
  ];
  if (image.digest !== null && image.digestSha256 !== null) {
    fields.push(nix.bind("digest", nix.string(image.digest)));
    fields.push(nix.bind("digestSha256", nix.string(image.digestSha256)));
  }
  const body = nix.call(nix.select(nix.ident("cwLib"), "pullImage"), nix.attrs(fields));
  return packageFile(image.source, ["cwLib"], body);
}
