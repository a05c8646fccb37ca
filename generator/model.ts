// The resolved package set: typed, immutable, with defaults filled in and every reference checked.
// Templates (descriptor model -> Nix AST) read only this.

/** A reference to another package: its attribute path (`pkgs` first for nixpkgs). */
export interface PackageRef {
  readonly ref: readonly string[];
}
/** Text with references: literal pieces and package references, in order. */
export type Template = readonly (string | PackageRef)[];

interface PackageCommon {
  readonly attrPath: readonly string[];
  /** Repository-relative path of the descriptor. */
  readonly source: string;
  readonly description: string | null;
}

export interface GitHubSource {
  readonly owner: string;
  readonly repo: string;
  readonly rev: string;
  readonly sha256: string;
}

export interface Application extends PackageCommon {
  readonly kind: "application";
  readonly pname: string;
  readonly version: string;
  readonly github: GitHubSource;
  readonly go: { readonly packagePath: string; readonly ldflags: readonly string[] };
}

export interface PulledImage extends PackageCommon {
  readonly kind: "pulledImage";
  readonly imageName: string;
  readonly imageTag: string;
  readonly sha256: string;
}

export interface ConfigFile {
  readonly destination: string;
  readonly template: Template;
}

export interface Service {
  readonly name: string;
  readonly command: Template;
  readonly user: "nobody" | "root";
  readonly preStart: Template | null;
  readonly configFiles: readonly ConfigFile[];
  readonly environmentFile: string | null;
  readonly chdir: Template | null;
  readonly oneShot: boolean;
  readonly after: readonly string[];
}

export interface DockerImage extends PackageCommon {
  readonly kind: "dockerImage";
  readonly imageName: string;
  readonly fromImage: PackageRef;
  readonly services: readonly Service[];
}

export type Package = Application | PulledImage | DockerImage;

export interface PackageSet {
  /** Sorted by attribute path. */
  readonly packages: readonly Package[];
}

/** Where each kind may live in the attribute tree, and the parent image used by default. */
export const PLACEMENT: Record<Package["kind"], { prefix: readonly string[]; depth: number }> = {
  application: { prefix: [], depth: 1 },
  pulledImage: { prefix: ["dockerImages", "pulled"], depth: 3 },
  dockerImage: { prefix: ["dockerImages"], depth: 2 },
};
export const DEFAULT_PARENT_IMAGE: PackageRef = {
  ref: ["dockerImages", "pulled", "kubernetesBaseImage"],
};

/** Top-level names the generated tree uses for itself. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "lib",
  "cwLib",
  "pkgs",
  "callPackage",
  "default",
  "jobset",
]);

export const refName = (r: PackageRef): string => r.ref.join(".");
