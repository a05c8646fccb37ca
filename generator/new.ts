// `nixgen new <kind> <attr.path>`: a new descriptor, at the path its kind requires, with the schema
// line and every required field holding a placeholder that says what to write. Until each is
// replaced, `check` reports one `schema/placeholder` per field.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { nameProblem, PACKAGES_DIR } from "./discover.ts";
import {
  isPlaced,
  KIND_SCHEMAS,
  KINDS,
  PLACEMENT_TEXT,
  withArticle,
  type Kind,
  type NewBuild,
} from "./kinds.ts";

export type { NewBuild };
import { placeholder as p } from "./placeholders.ts";

/** A request `new` cannot carry out, said to the user (the CLI exits 2). */
export class NewDescriptorError extends Error {
  override readonly name = "NewDescriptorError";
}

const q = (what: string): string => JSON.stringify(p(what));

const BUILDS: Record<NewBuild, string[]> = {
  go: [
    "  go:",
    `    packagePath: ${q("the Go import path, for example github.com/example/program")}`,
  ],
  stdenv: [
    "  stdenv:",
    "    installPhase: |",
    `      ${p("the shell commands that install the program into $out")}`,
  ],
};

const GITHUB = (indent: string, what: string): string[] => [
  `${indent}owner: ${q(`the GitHub owner of ${what}`)}`,
  `${indent}repo: ${q(`the GitHub repository of ${what}`)}`,
  `${indent}rev: ${q("the tag or commit to fetch, for example v1.0.0")}`,
  `${indent}sha256: ${q("the hash of the archive, as nix-prefetch-url --unpack prints it")}`,
];

/** The lines after `kind:` of each kind's skeleton. */
function body(kind: Kind, name: string, build: NewBuild): string[] {
  const description = `description: ${q("one line saying what it is for")}`;
  switch (kind) {
    case "application":
      return [
        description,
        `pname: ${q("the package name, for example my-program")}`,
        `version: ${q("the version, for example 1.0.0")}`,
        "source:",
        "  github:",
        ...GITHUB("    ", "the program"),
        "build:",
        ...BUILDS[build],
      ];
    case "dockerImage":
      return [
        description,
        `imageName: ${q("the image name in the registry, for example example/service")}`,
        "services:",
        `  - name: ${q("the name of the service, for example api")}`,
        `    command: ${q("the command it runs; a package of this set is written ${{ name }}")}`,
      ];
    case "pulledImage":
      return [
        description,
        `imageName: ${q("the image to pull, for example docker.io/library/redis")}`,
        `imageTag: ${q("its tag, for example 4.0")}`,
        `sha256: ${q("the hash of the image, as nix-prefetch-docker prints it")}`,
      ];
    case "debianPackage":
      return [
        description,
        `packageName: ${q("the Debian package name, for example my-tool")}`,
        `version: ${q("the package version, for example 1.0-1")}`,
      ];
    case "tool":
      return [
        description,
        "script:",
        `  program: ${q("the command name, for example my-tool")}`,
        "  text: |",
        `    ${p("the shell script it runs")}`,
      ];
    case "test":
      return [description, `nixFile: ./${name}.nix`];
    case "fragment":
      return [
        description,
        `fragmentOf: ${q("what it extends: application, tool, dockerImage, debianPackage, service, configFile, iniSection or fluentd")}`,
        "value: {}",
      ];
    case "hydraProject":
      return [
        `project: ${q("the Hydra project name")}`,
        `displayName: ${q("the name Hydra shows")}`,
        "repository:",
        `  url: ${q("the Git URL Hydra fetches this repository from")}`,
        "nixpkgs:",
        `  url: ${q("the Git URL of nixpkgs")}`,
        `  rev: ${q("the nixpkgs commit to build with")}`,
        "jobsets:",
        "  trunk:",
        `    description: ${q("what the jobset builds")}`,
      ];
    case "pins":
      return [
        "nixpkgs:",
        ...GITHUB("  ", "nixpkgs"),
        "contrail:",
        ...GITHUB("  ", "nixpkgs-contrail"),
      ];
    case "contrailPackageSet":
      return [
        "upstream:",
        `  version: ${q("the contrail version of nixpkgs-contrail, for example contrail32")}`,
        "expose:",
        `  - ${q("an attribute of nixpkgs-contrail to expose, for example api")}`,
      ];
  }
}

/** The descriptor text for `kind` at `attrPath`. */
export function skeleton(kind: Kind, attrPath: readonly string[], build: NewBuild = "go"): string {
  const depth = attrPath.length; // packages/ plus the folders of the path
  const modeline = `# yaml-language-server: $schema=${"../".repeat(depth)}schemas/${KIND_SCHEMAS[kind]}`;
  return [modeline, `kind: ${kind}`, ...body(kind, attrPath.at(-1)!, build), ""].join("\n");
}

/** Check the request, write the descriptor, and return its path relative to `root`. */
export function newDescriptor(
  root: string,
  kind: string,
  attr: string,
  build: NewBuild = "go",
): string {
  if (!(KINDS as string[]).includes(kind)) {
    throw new NewDescriptorError(
      `unknown kind ${JSON.stringify(kind)}; expected one of ${KINDS.join(", ")}`,
    );
  }
  const k = kind as Kind;
  if (attr.includes("/")) {
    const dotted = attr
      .replace(/^(\.\/)?(packages\/)?/, "")
      .replace(/\.yaml$/, "")
      .replaceAll("/", ".");
    throw new NewDescriptorError(
      `${attr}: give the attribute path, with dots (${dotted}); the file path follows from it`,
    );
  }
  const attrPath = attr.split(".");
  for (const name of attrPath) {
    const problem = nameProblem(name);
    if (problem !== undefined) throw new NewDescriptorError(`${attr}: ${problem}`);
  }
  if (!isPlaced(k, attrPath)) {
    throw new NewDescriptorError(
      `${withArticle(k)} lives at ${PLACEMENT_TEXT[k]}, so ${attr} cannot be one`,
    );
  }
  const path = `${PACKAGES_DIR}/${attrPath.join("/")}.yaml`;
  if (existsSync(join(root, path))) {
    throw new NewDescriptorError(`${path} exists already; new never overwrites a descriptor`);
  }
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), skeleton(k, attrPath, build), { flag: "wx" });
  return path;
}
