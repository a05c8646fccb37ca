// Template of the `dockerImage` kind: an image whose services run under perp. The rc.main of each
// service is computed by ./perp.ts and appears literally in the generated file.

import { nix, type NixFile } from "../generator/nix/index.ts";
import type { DockerImage } from "../generator/model.ts";
import { packageFile, refExpr } from "./common.ts";
import { perpService } from "./perp.ts";

/** Parts of the image language not generated yet, or undefined. */
export function unsupportedImageFeature(image: DockerImage): string | undefined {
  if (image.services.some((s) => s.fluentd !== null)) return "images with fluentd";
  if (image.services.length === 0) return "images without services";
  if (image.builder !== "buildImage") return `images built with ${image.builder}`;
  const extras = [
    image.contents.length > 0,
    image.extraCommands !== null,
    image.runAsRoot !== null,
  ];
  const config = image.config;
  if (extras.some(Boolean) || config.cmd !== null || config.env.length > 0) {
    return "images with extra contents, commands or configuration";
  }
  return undefined;
}

export function emitDockerImage(image: DockerImage): NixFile {
  const services = image.services.map((s) => ({ service: s, perp: perpService(s) }));
  const build = nix.call(
    nix.select(nix.ident("cwLib"), "buildPerpImage"),
    nix.attrs([
      nix.bind("name", nix.string(image.imageName)),
      nix.bind("fromImage", image.fromImage === null ? nix.null() : refExpr(image.fromImage)),
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
  const parent = image.fromImage === null ? [] : [image.fromImage.ref[0]!];
  const args = ["cwLib", ...parent, ...services.flatMap(({ perp }) => perp.args)];
  return packageFile(image.source, args, body);
}
