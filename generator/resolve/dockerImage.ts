// Resolution of a Docker image: parent, files, services (config files, fluentd, `after`), config.

import { didYouMean } from "../diagnostics.ts";
import {
  DEFAULT_PARENT_IMAGE,
  refName,
  type ConfigFile,
  type DockerImage,
  type Fluentd,
  type FluentdDirective,
  type ImageFile,
  type IniSection,
  type PackageRef,
  type Service,
} from "../model.ts";
import type { FieldPath } from "../positions.ts";
import { compareText, error, isKnown, whereIs, type Common } from "./context.ts";
import { checkUnique } from "./lists.ts";
import { findCycle } from "./cycles.ts";
import { exactlyOne, type Reader } from "./reader.ts";

export function toDockerImage(r: Reader, common: Common): DockerImage {
  const fromImage =
    r.get("fromImage") === null
      ? null
      : r.has("fromImage")
        ? r.ref("fromImage")
        : useDefaultParent(r);
  for (const [key] of r.entries("files")) r.ctx.imageFiles.add(key);
  const files = toImageFiles(r);
  const services = r.list("services").map(toService);
  checkServices(services, r);
  const c = r.child("config");
  const config = {
    cmd: c.has("cmd") ? c.texts("cmd") : null,
    env: c.entries("env").map(([k]) => [k, c.child("env").text(k)] as const),
    workingDir: c.optStr("workingDir"),
    exposedPorts: c.strings("exposedPorts"),
    volumes: c.strings("volumes"),
  };
  if (services.length === 0 && config.cmd === null) {
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        r.path,
        "image/no-command",
        "an image without services needs config.cmd, the command it starts",
        "add services, or config: { cmd: [ ... ] }",
      ),
    );
  }
  return {
    ...common,
    kind: "dockerImage",
    imageName: r.str("imageName"),
    fromImage,
    builder: (r.optStr("builder") ?? "buildImage") as DockerImage["builder"],
    push: r.bool("push", true),
    services,
    contents: r.refs("contents"),
    files,
    extraCommands: r.optText("extraCommands"),
    runAsRoot: r.optText("runAsRoot"),
    config,
  };
}

/** The image's store files; a file referring to itself, directly or not, cannot be built. */
export function toImageFiles(r: Reader): ImageFile[] {
  const files = r.child("files");
  const result = Object.keys(files.data).map((key): ImageFile => {
    const f = files.child(key);
    const which = exactlyOne(f, ["text", "url"]);
    return {
      key,
      name: f.str("name"),
      content:
        which === "url"
          ? { type: "url", url: f.str("url"), sha256: f.optHash("sha256") ?? "" }
          : {
              type: "text",
              text: f.has("text") ? f.text("text") : [],
              executable: f.bool("executable", false),
            },
    };
  });
  const uses = (file: ImageFile): string[] =>
    file.content.type === "text"
      ? file.content.text.flatMap((p) =>
          typeof p !== "string" && p.ref[0] === "self" && p.ref[1] === "files" ? [p.ref[2]!] : [],
        )
      : [];
  const byKey = new Map(result.map((f) => [f.key, f]));
  const cycle = findCycle(
    result.map((f) => f.key),
    (key) => uses(byKey.get(key)!).filter((k) => byKey.has(k)),
  );
  if (cycle !== undefined) {
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        [...files.path, cycle[0]!, "text"],
        "image/file-cycle",
        `image files refer to each other in a cycle: ${cycle.join(" -> ")}`,
        "a file can only name files that do not name it back",
      ),
    );
  }
  return result;
}

export function useDefaultParent(r: Reader): PackageRef {
  const name = refName(DEFAULT_PARENT_IMAGE);
  if (!r.ctx.known.has(name)) {
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        r.path,
        "ref/unknown",
        `the default parent image ${name} does not exist`,
        "add packages/dockerImages/pulled/kubernetesBaseImage.yaml or set fromImage",
      ),
    );
  }
  r.ctx.refs.push({ ref: DEFAULT_PARENT_IMAGE, path: r.path, text: "" });
  return DEFAULT_PARENT_IMAGE;
}

export function toService(s: Reader): Service {
  const configFiles = s.list("configFiles").map(toConfigFile);
  const destinationAt = (i: number) => [...s.at("configFiles"), i, "destination"];
  const destination = (f: ConfigFile) => f.destination;
  const what = "configuration file destination in this service";
  checkUnique(s, configFiles, destination, destinationAt, "config/duplicate-destination", what);
  if (!s.has("command") && configFiles.length === 0) {
    s.ctx.diagnostics.push(
      error(
        s.ctx.v,
        s.path,
        "service/no-command",
        `service ${JSON.stringify(s.str("name"))} needs a command (or configFiles, to run consul-template itself)`,
      ),
    );
  }
  return {
    name: s.str("name"),
    command: s.optText("command"),
    user: (s.optStr("user") ?? "nobody") as Service["user"],
    preStart: s.optText("preStart"),
    configFiles,
    consulTemplateFlags: s.strings("consulTemplateFlags"),
    consulTemplateWrapper: s.optStr("consulTemplateWrapper") ?? "consul-template-wrapper",
    templateFlagForm: (s.optStr("templateFlagForm") ?? "space") as Service["templateFlagForm"],
    renderConfigFiles: (s.optStr("renderConfigFiles") ??
      "beforePreStart") as Service["renderConfigFiles"],
    environmentFile: s.optText("environmentFile"),
    chdir: s.optText("chdir"),
    oneShot: s.bool("oneShot", false),
    after: s.strings("after"),
    fluentd: s.has("fluentd") ? toFluentd(s.child("fluentd")) : null,
  };
}

export function toConfigFile(f: Reader): ConfigFile {
  const destination = f.str("destination");
  const which = exactlyOne(f, ["template", "ini"]);
  const ini = f.child("ini");
  return {
    destination,
    name: f.optStr("name") ?? `${destination.slice(destination.lastIndexOf("/") + 1)}.ctmpl`,
    content:
      which === "ini"
        ? { type: "ini", header: ini.strings("header"), sections: toIniSections(ini) }
        : { type: "template", text: f.has("template") ? f.text("template") : [] },
    check: { yaml: checkYaml(f), mock: f.child("check").get("mock") ?? null },
  };
}

/** Checking a template as YAML renders it with the set's consulTemplateMock. */
export function checkYaml(f: Reader): boolean {
  const yaml = f.child("check").bool("yaml", false);
  if (yaml && isKnown("consulTemplateMock", f.ctx.known)) {
    f.ctx.refs.push({ ref: { ref: ["consulTemplateMock"] }, path: f.at("check"), text: "" });
  } else if (yaml) {
    f.ctx.diagnostics.push(
      error(
        f.ctx.v,
        f.at("check"),
        "config/check-package",
        "checking a template as YAML needs the package consulTemplateMock in this set, and there is none",
        "add packages/consulTemplateMock.yaml",
      ),
    );
  }
  if (!yaml && f.child("check").has("mock")) {
    f.ctx.diagnostics.push(
      error(
        f.ctx.v,
        [...f.at("check"), "mock"],
        "config/mock-without-check",
        "mock data is only used to render the template for the YAML check, which is off",
        "add yaml: true under check, or remove mock",
      ),
    );
  }
  return yaml;
}

/** Sections and keys sorted, as nixpkgs' toINI prints them. */
export function toIniSections(ini: Reader): IniSection[] {
  const sections = ini.child("sections");
  return Object.keys(sections.data)
    .map((name) => {
      const keys = sections.child(name).child("keys");
      const entries = Object.entries(keys.data).map(([key, value]) => {
        const rendered = typeof value === "string" ? keys.text(key) : (value as number | boolean);
        return [key, rendered] as const;
      });
      return { name, keys: entries.sort(([a], [b]) => compareText(a, b)) };
    })
    .sort((a, b) => compareText(a.name, b.name));
}

/** Packages of this set that images with fluentd use: fluentd itself and the wait-for tool. */
export const FLUENTD_PACKAGES = ["fluentdCw", "waitFor"] as const;

export function toFluentd(f: Reader): Fluentd {
  for (const name of FLUENTD_PACKAGES) {
    if (isKnown(name, f.ctx.known)) {
      f.ctx.refs.push({ ref: { ref: [name] }, path: f.path, text: "" });
    } else {
      f.ctx.diagnostics.push(
        error(
          f.ctx.v,
          f.path,
          "image/fluentd-package",
          `a service with fluentd needs the package ${name} in this set, and there is none`,
          `add packages/${name}.yaml`,
        ),
      );
    }
  }
  return {
    source: f.child("source").data as FluentdDirective,
    filters: f.list("filters").map((filter) => filter.data as FluentdDirective),
  };
}

/** Service names unique; `after` names existing, not the service itself, and without cycles. */
export function checkServices(services: readonly Service[], r: Reader): void {
  const names = services.map((s) => s.name);
  const report = (path: FieldPath, code: string, message: string, hint?: string) =>
    r.ctx.diagnostics.push(error(r.ctx.v, [...r.path, ...path], code, message, hint));
  services.forEach((s, i) => {
    if (s.name === "fluentd" && services.some((x) => x.fluentd !== null)) {
      report(
        ["services", i, "name"],
        "service/reserved-name",
        `"fluentd" is the name of the log service added to images whose services use fluentd`,
      );
    }
    const first = names.indexOf(s.name);
    if (first !== i) {
      report(
        ["services", i, "name"],
        "service/duplicate",
        `expected each service name once in this image, found ${JSON.stringify(s.name)} a second time; the first is at ${whereIs(r.ctx.v, [...r.path, "services", first, "name"])}`,
        "rename one of the two services",
      );
    }
    s.after.forEach((dep, j) => {
      const path = ["services", i, "after", j];
      if (dep === s.name) {
        report(
          path,
          "service/after-self",
          `service ${JSON.stringify(s.name)} cannot start after itself`,
        );
      } else if (!names.includes(dep)) {
        const suggestion = didYouMean(dep, names);
        report(
          path,
          "service/unknown-after",
          `expected the name of a service of this image (${names.join(", ")}), found ${JSON.stringify(dep)}`,
          suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
        );
      }
    });
  });
  // A service waiting for itself is reported above as after-self.
  const waitsFor = (n: string) =>
    (services.find((s) => s.name === n)?.after ?? []).filter((d) => d !== n);
  const cycle = findCycle(names, waitsFor);
  if (cycle !== undefined) {
    report(
      ["services", names.indexOf(cycle[0]!), "after"],
      "service/after-cycle",
      `services wait for each other in a cycle: ${cycle.join(" -> ")}`,
    );
  }
}
