// Template of the `dockerImage` kind: an image whose services run under perp. The rc.main of each
// service is computed by ./perp.ts and appears literally in the generated file.

import { nix, type NixFile } from "../generator/nix/index.ts";
import type { DockerImage } from "../generator/model.ts";
import { packageFile, refExpr } from "./common.ts";
import { perpService } from "./perp.ts";

export function emitDockerImage(image: DockerImage): NixFile {
  const services = image.services.map((s) => ({ service: s, perp: perpService(s) }));
  const build = nix.call(
    nix.select(nix.ident("cwLib"), "buildPerpImage"),
    nix.attrs([
      nix.bind("name", nix.string(image.imageName)),
      nix.bind("fromImage", refExpr(image.fromImage)),
      nix.bind(
        "services",
        nix.list(
          services.map(({ service, perp }) =>
            nix.attrs([
              nix.bind("name", nix.string(service.name)),
              nix.bind("rcMain", nix.string(perp.rcMain, "indented")),
            ]),
          ),
        ),
      ),
    ]),
  );
  const bindings = services.flatMap(({ perp }) => perp.bindings);
  const body = bindings.length === 0 ? build : nix.let(bindings, build);
  const args = ["cwLib", image.fromImage.ref[0]!, ...services.flatMap(({ perp }) => perp.args)];
  return packageFile(image.source, args, body);
}
