// The descriptor kinds: the schema of each and where in packages/ each may live. Placement is
// part of the language: the file path is the attribute path, so a kind's folder says what it is.

export const KIND_SCHEMAS = {
  application: "application.schema.json",
  contrailPackageSet: "contrail-package-set.schema.json",
  debianPackage: "debian-package.schema.json",
  dockerImage: "docker-image.schema.json",
  fragment: "fragment.schema.json",
  hydraProject: "hydra-project.schema.json",
  pins: "pins.schema.json",
  pulledImage: "pulled-image.schema.json",
  test: "test.schema.json",
  tool: "tool.schema.json",
} as const;
export type Kind = keyof typeof KIND_SCHEMAS;
export const KINDS = Object.keys(KIND_SCHEMAS) as Kind[];

/** Folders whose content is fixed by their kind; other top-level folders hold applications. */
const CATEGORY_FOLDERS = new Set([
  "ci",
  "debianPackages",
  "dockerImages",
  "fragments",
  "test",
  "tools",
]);

/** Where descriptors of each kind live, as shown in errors and in the reference docs. */
export const PLACEMENT_TEXT: Record<Kind, string> = {
  application: "packages/<name>.yaml, or packages/<set>/<name>.yaml for a set of applications",
  contrailPackageSet: "packages/<name>.yaml (the set is contrail32Cw)",
  debianPackage: "packages/debianPackages/<name>.yaml",
  dockerImage: "packages/dockerImages/<name>.yaml",
  fragment: "packages/fragments/<name>.yaml or deeper folders under packages/fragments/",
  hydraProject: "packages/ci/<name>.yaml",
  pins: "packages/pins.yaml",
  pulledImage: "packages/dockerImages/pulled/<name>.yaml",
  test: "packages/test/<name>.yaml",
  tool: "packages/tools/<name>.yaml, or packages/<name>.yaml",
};

/** Whether a descriptor of `kind` may have the attribute path `path`. */
export function isPlaced(kind: Kind, path: readonly string[]): boolean {
  const [first, second] = path;
  switch (kind) {
    case "application":
      return (
        (path.length === 1 && first !== "pins") ||
        (path.length === 2 && !CATEGORY_FOLDERS.has(first!))
      );
    case "contrailPackageSet":
      return path.length === 1 && first !== "pins";
    case "debianPackage":
      return path.length === 2 && first === "debianPackages";
    case "dockerImage":
      return path.length === 2 && first === "dockerImages";
    case "fragment":
      return path.length >= 2 && first === "fragments";
    case "hydraProject":
      return path.length === 2 && first === "ci";
    case "pins":
      return path.length === 1 && first === "pins";
    case "pulledImage":
      return path.length === 3 && first === "dockerImages" && second === "pulled";
    case "test":
      return path.length === 2 && first === "test";
    case "tool":
      return (path.length === 2 && first === "tools") || (path.length === 1 && first !== "pins");
  }
}

/** The kind a descriptor at `path` has, from the folder it is in (for hints). */
export function kindAt(path: readonly string[]): Kind {
  const [first, second] = path;
  if (path.length === 1) return first === "pins" ? "pins" : "application";
  if (first === "dockerImages")
    return second === "pulled" && path.length === 3 ? "pulledImage" : "dockerImage";
  const byFolder: Readonly<Record<string, Kind>> = {
    ci: "hydraProject",
    debianPackages: "debianPackage",
    fragments: "fragment",
    test: "test",
    tools: "tool",
  };
  return Object.hasOwn(byFolder, first!) ? byFolder[first!]! : "application";
}

/** Kinds that are not attributes of the package set: they configure the tree or feed other descriptors. */
export const NON_PACKAGE_KINDS: ReadonlySet<Kind> = new Set(["fragment", "hydraProject", "pins"]);

/** "an application", "a dockerImage": the kind with its article, for messages. */
export const withArticle = (kind: string): string =>
  `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;

/** The builds `new application` can start from. */
export const NEW_BUILDS = ["go", "stdenv"] as const;
export type NewBuild = (typeof NEW_BUILDS)[number];
