// Template of the `pulledImage` kind: a registry image pinned by tag and hash.

import { nix, type NixFile } from "../generator/nix/index.ts";
import type { PulledImage } from "../generator/model.ts";
import { packageFile } from "./common.ts";

export function emitPulledImage(image: PulledImage): NixFile {
  const body = nix.call(
    nix.select(nix.ident("dockerTools"), "pullImage"),
    nix.attrs([
      nix.bind("imageName", nix.string(image.imageName)),
      nix.bind("imageTag", nix.string(image.imageTag)),
      nix.bind("sha256", nix.string(image.sha256)),
    ]),
  );
  return packageFile(image.source, ["dockerTools"], body);
}
