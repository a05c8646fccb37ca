// Resolution of a pulled image: name, tag and hashes for dockerTools.pullImage.

import type { PulledImage } from "../model.ts";
import type { Common } from "./context.ts";
import type { Reader } from "./reader.ts";

export function toPulledImage(r: Reader, common: Common): PulledImage {
  return {
    ...common,
    kind: "pulledImage",
    imageName: r.str("imageName"),
    imageTag: r.str("imageTag"),
    sha256: r.hash("sha256"),
    digest: r.optStr("digest"),
    digestSha256: r.optHash("digestSha256"),
  };
}
