// Template of the `dockerImage` kind. With services: an image whose services run under perp
// (cwLib.buildPerpImage); the rc.main of each service is computed by ./perp.ts and appears
// literally in the generated file. Without services: a plain image (cwLib.buildPlainImage).
// Services with fluentd get the log pipeline of ./fluentd.ts: an extra `fluentd` service, a
// fluentd.conf, and a parent image with fluentd in it.

import { nix, type Binding, type Expr, type NixFile } from "../generator/nix/index.ts";
import type { DockerImage, ImageFile, PackageRef, Service, Template } from "../generator/model.ts";
import { IMAGE_FILES, packageFile, refExpr, refHeads, textParts } from "./common.ts";
import { capturesStdout, participates, renderFluentdConf } from "./fluentd.ts";
import { LetNames, referenceHeads } from "./names.ts";
import { perpService } from "./perp.ts";

const ref = (...path: string[]): PackageRef => ({ ref: path });
/** The fluentd.conf store file, bound in the image file's `let`. */
const FLUENTD_CONF = "fluentdConf";
/** Arguments an image file may take besides the packages its descriptor refers to. */
const IMAGE_ARGUMENTS = [
  "bash",
  "consulTemplateMock",
  "cwLib",
  "fetchurl",
  "fluentdCw",
  "pkgs",
  "writeTextFile",
];
/** Port of the forward source fluentd.conf opens; services wait for it before starting. */
const FLUENTD_PORT = "127.0.0.1:24225";

/** A service as perp runs it, with the pre-start lines that come after its own (§3.2). */
export interface ImageService {
  readonly service: Service;
  /** Run last in the pre-start script, after the config files are rendered. */
  readonly preStartTail: Template;
}

/**
 * Services as perp runs them when fluentd collects their logs: each participating service waits
 * for fluentd last in its pre-start script (after its own lines and its config files);
 * stdout-capturing ones tee their output into the named pipe /tmp/<name>; and the `fluentd`
 * service, which creates those pipes, comes last.
 */
/** A part of a command placed inside single quotes: each `'` closes, escapes and reopens them. */
const quotedOnce = (part: Template[number]): Template[number] =>
  typeof part === "string" ? part.replaceAll("'", "'\\''") : part;

export function withFluentd(services: readonly Service[]): ImageService[] {
  const plain = (service: Service): ImageService => ({ service, preStartTail: [] });
  if (!services.some(participates)) return services.map(plain);
  const transformed = services.map((s): ImageService => {
    if (!participates(s)) return plain(s);
    const wait: Template = [ref("waitFor"), `/bin/wait-for ${FLUENTD_PORT} -t 30 -q\n`];
    const command =
      capturesStdout(s) && s.command !== null
        ? [
            "rundeux ",
            ref("pkgs", "bash"),
            "/bin/bash -c 'exec 2>&1 ",
            ...s.command.map(quotedOnce),
            "' :: ",
            ref("pkgs", "coreutils"),
            `/bin/tee /tmp/${s.name}`,
          ]
        : s.command;
    return { service: { ...s, command }, preStartTail: wait };
  });
  const pipes = services
    .filter(capturesStdout)
    .map((s) => `[ ! -p /tmp/${s.name} ] && mkfifo /tmp/${s.name}\n`);
  const fluentd: Service = {
    name: "fluentd",
    command: [ref("fluentdCw"), "/bin/fluentd --no-supervisor -c ", ref(FLUENTD_CONF)],
    user: "nobody",
    preStart: pipes.length === 0 ? null : pipes,
    configFiles: [],
    consulTemplateFlags: [],
    consulTemplateWrapper: "consul-template-wrapper",
    templateFlagForm: "space",
    renderConfigFiles: "beforePreStart",
    environmentFile: null,
    chdir: null,
    oneShot: false,
    after: [],
    fluentd: null,
  };
  return [...transformed, plain(fluentd)];
}

/** `config` of dockerTools.buildImage (Docker's image configuration keys). */
function configBindings(image: DockerImage): Binding[] {
  const c = image.config;
  const bindings: Binding[] = [];
  if (c.cmd !== null) bindings.push(nix.bind("Cmd", nix.list(c.cmd.map(text))));
  if (c.env.length > 0) {
    bindings.push(nix.bind("Env", nix.list(c.env.map(([k, v]) => text([`${k}=`, ...v])))));
  }
  if (c.workingDir !== null) bindings.push(nix.bind("WorkingDir", nix.string(c.workingDir)));
  const emptySets = (names: readonly string[]) =>
    nix.attrs(names.map((n) => nix.bind([n], nix.attrs([]))));
  if (c.exposedPorts.length > 0) bindings.push(nix.bind("ExposedPorts", emptySets(c.exposedPorts)));
  if (c.volumes.length > 0) bindings.push(nix.bind("Volumes", emptySets(c.volumes)));
  return bindings;
}

const text = (t: Template): Expr => nix.string(textParts(t));

function configHeads(image: DockerImage): string[] {
  const c = image.config;
  return [...(c.cmd ?? []), ...c.env.map(([, v]) => v)].flatMap(refHeads);
}

/** Arguments both image builders share: builder, extra contents and commands, runAsRoot. */
function extraBindings(image: DockerImage): Binding[] {
  const bindings: Binding[] = [];
  if (image.builder !== "buildImage") bindings.push(nix.bind("builder", nix.string(image.builder)));
  if (image.contents.length > 0) {
    bindings.push(nix.bind("contents", nix.list(image.contents.map(refExpr))));
  }
  if (image.extraCommands !== null) {
    bindings.push(
      nix.bind("extraCommands", nix.string(textParts(image.extraCommands), "indented")),
    );
  }
  if (image.runAsRoot !== null) {
    bindings.push(nix.bind("runAsRoot", nix.string(textParts(image.runAsRoot), "indented")));
  }
  const config = configBindings(image);
  if (config.length > 0) bindings.push(nix.bind("config", nix.attrs(config)));
  return bindings;
}

function extraHeads(image: DockerImage): string[] {
  return [
    ...image.contents.flatMap((r) => refHeads([r])),
    ...[image.extraCommands, image.runAsRoot].flatMap((t) => (t === null ? [] : refHeads(t))),
    ...configHeads(image),
  ];
}

/** The image's own store files, one set bound as `imageFiles` (files may name each other). */
function filesBinding(files: readonly ImageFile[]): Binding[] {
  if (files.length === 0) return [];
  const file = (f: ImageFile): Expr => {
    const c = f.content;
    const fields =
      c.type === "url"
        ? [
            nix.bind("name", nix.string(f.name)),
            nix.bind("url", nix.string(c.url)),
            nix.bind("sha256", nix.string(c.sha256)),
          ]
        : [
            nix.bind("name", nix.string(f.name)),
            ...(c.executable ? [nix.bind("executable", nix.bool(true))] : []),
            nix.bind("text", nix.string(textParts(c.text), "indented")),
          ];
    return nix.call(nix.ident(c.type === "url" ? "fetchurl" : "writeTextFile"), nix.attrs(fields));
  };
  return [nix.bind(IMAGE_FILES, nix.attrs(files.map((f) => nix.bind([f.key], file(f)))))];
}

function filesHeads(files: readonly ImageFile[]): string[] {
  return files.flatMap((f) =>
    f.content.type === "url" ? ["fetchurl"] : ["writeTextFile", ...refHeads(f.content.text)],
  );
}

export function emitDockerImage(image: DockerImage): NixFile {
  const parent = image.fromImage === null ? nix.null() : refExpr(image.fromImage);
  const parentArgs = image.fromImage === null ? [] : [image.fromImage.ref[0]!];
  const files = filesBinding(image.files);
  if (image.services.length === 0) {
    const build = nix.call(
      nix.select(nix.ident("cwLib"), "buildPlainImage"),
      nix.attrs([
        nix.bind("name", nix.string(image.imageName)),
        nix.bind("fromImage", parent),
        ...extraBindings(image),
      ]),
    );
    const body = files.length === 0 ? build : nix.let(files, build);
    const args = ["cwLib", ...parentArgs, ...extraHeads(image), ...filesHeads(image.files)];
    return packageFile(
      image.source,
      args.filter((a) => a !== IMAGE_FILES),
      body,
    );
  }

  const hasFluentd = image.services.some(participates);
  const names = new LetNames([
    ...IMAGE_ARGUMENTS,
    ...referenceHeads(image),
    FLUENTD_CONF,
    IMAGE_FILES,
  ]);
  const services = withFluentd(image.services).map(({ service, preStartTail }) => ({
    service,
    perp: perpService(service, preStartTail, names),
  }));
  const lets: Binding[] = [...files, ...services.flatMap(({ perp }) => perp.bindings)];
  let fromImage = parent;
  if (hasFluentd) {
    lets.unshift(
      nix.bind(
        FLUENTD_CONF,
        nix.call(
          nix.ident("writeTextFile"),
          nix.attrs([
            nix.bind("name", nix.string("fluentd.conf")),
            nix.bind("text", nix.string(renderFluentdConf(image.services), "indented")),
          ]),
        ),
      ),
    );
    fromImage = nix.call(
      nix.select(nix.ident("cwLib"), "fluentdBaseImage"),
      nix.attrs([nix.bind("fromImage", parent), nix.bind("fluentd", nix.ident("fluentdCw"))]),
    );
  }
  const build = nix.call(
    nix.select(nix.ident("cwLib"), "buildPerpImage"),
    nix.attrs([
      nix.bind("name", nix.string(image.imageName)),
      nix.bind("fromImage", fromImage),
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
      ...extraBindings(image),
    ]),
  );
  const body = lets.length === 0 ? build : nix.let(lets, build);
  const args = [
    "cwLib",
    ...parentArgs,
    ...services.flatMap(({ perp }) => perp.args),
    ...extraHeads(image),
    ...(hasFluentd ? ["writeTextFile", "fluentdCw"] : []),
    ...filesHeads(image.files),
  ].filter((a) => a !== FLUENTD_CONF && a !== IMAGE_FILES); // bound in the file's own let
  return packageFile(image.source, args, body);
}
