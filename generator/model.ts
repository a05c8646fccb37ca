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
  /** fetchFromGitHub's `name`, when not the default. */
  readonly name: string | null;
  /** Where the revision was taken from; a comment only. */
  readonly branch: string | null;
}
export interface UrlFile {
  readonly url: string;
  readonly sha256: string;
}

export type Pin =
  | ({ readonly type: "github" } & GitHubSource)
  | { readonly type: "git"; readonly url: string; readonly rev: string; readonly sha256: string }
  | ({ readonly type: "url" } & UrlFile)
  | {
      readonly type: "zip";
      readonly url: string;
      readonly sha256: string;
      readonly stripRoot: boolean;
      readonly name: string | null;
    }
  | { readonly type: "urls"; readonly files: readonly UrlFile[] };

export interface Meta {
  readonly homepage: string | null;
  readonly license: string | null;
  readonly platforms: readonly string[];
  readonly maintainers: readonly string[];
}

/** Build-time shell hooks and phases, by their nixpkgs attribute name (preBuild, installPhase...). */
export type Hooks = Readonly<Record<string, Template>>;

export interface GoDependency {
  readonly packagePath: string;
  readonly url: string;
  readonly rev: string;
  readonly sha256: string;
}
export interface GoBuild {
  readonly builder: "go";
  readonly packagePath: string;
  readonly goVersion: "default" | "1.10";
  readonly ldflags: readonly string[];
  readonly deps: readonly GoDependency[];
  readonly excludedPackages: readonly string[];
  readonly subPackages: readonly string[];
  readonly outputs: readonly string[];
  readonly buildInputs: readonly PackageRef[];
  readonly nativeBuildInputs: readonly PackageRef[];
  readonly hooks: Hooks;
  /** Static linking: extra inputs and the archives given to the external linker after `-static`. */
  readonly static: {
    readonly buildInputs: readonly PackageRef[];
    readonly libraries: readonly Template[];
  } | null;
}
export interface StdenvBuild {
  readonly builder: "stdenv";
  readonly buildInputs: readonly PackageRef[];
  readonly nativeBuildInputs: readonly PackageRef[];
  readonly outputs: readonly string[];
  readonly phases: readonly string[];
  readonly hooks: Hooks;
  readonly makeFlags: readonly string[];
  readonly dontStrip: boolean | null;
}
export interface Gem {
  readonly name: string;
  readonly version: string;
  readonly sha256: string;
  readonly dependencies: readonly string[];
  readonly remote: string;
}
/** A `gem` line of a Gemfile: the gem and its version requirements, as written. */
export interface GemfileDependency {
  readonly name: string;
  readonly requirements: readonly string[];
}
export interface BundlerBuild {
  readonly builder: "bundler";
  readonly ruby: PackageRef;
  readonly gemfile: string;
  /** The gems the Gemfile asks for, in Gemfile order. */
  readonly gemfileDependencies: readonly GemfileDependency[];
  readonly gems: readonly Gem[];
  readonly gemConfig: readonly {
    readonly gem: string;
    readonly dontStrip: boolean | null;
    readonly buildInputs: readonly PackageRef[];
  }[];
  readonly exes: readonly string[];
}
export interface PythonPackage {
  readonly name: string;
  readonly version: string;
  readonly url: string;
  readonly sha256: string;
  readonly propagates: readonly string[];
  readonly doCheck: boolean;
}
export interface PythonBuild {
  readonly builder: "python";
  readonly interpreter: PackageRef;
  readonly main: string;
  readonly buildInputs: readonly PackageRef[];
  readonly packages: readonly PythonPackage[];
}
/** A nixpkgs package rebuilt with more patches (fetchpatch) and build inputs. */
export interface OverrideBuild {
  readonly builder: "override";
  readonly package: PackageRef;
  readonly patches: readonly { readonly url: string; readonly sha256: string }[];
  readonly buildInputs: readonly PackageRef[];
}
export type Build = GoBuild | StdenvBuild | BundlerBuild | PythonBuild | OverrideBuild;

export interface Application extends PackageCommon {
  readonly kind: "application";
  readonly pname: string;
  readonly version: string | null;
  readonly src: Pin | null;
  readonly meta: Meta;
  readonly build: Build;
}

export interface Tool extends PackageCommon {
  readonly kind: "tool";
  readonly tool:
    | {
        readonly type: "script";
        readonly program: string;
        readonly text: Template;
        readonly runtimeInputs: readonly PackageRef[];
        /** Relative path -> content, shipped in a directory the text reaches as `${{ self.files }}`. */
        readonly files: readonly { readonly path: string; readonly text: Template }[];
      }
    | { readonly type: "ubuntuVm"; readonly debianPackages: readonly PackageRef[] }
    | ({ readonly type: "nixFile" } & NixCode);
}

/** A hand-written Nix file beside a descriptor (a test, or a tool), called with callPackage. */
export interface NixCode {
  /** Repository-relative path of the hand-written Nix file. */
  readonly nixFile: string;
  /** Repository-relative paths of the further Nix files that file imports. */
  readonly nixImports: readonly string[];
  /** Extra arguments of the file's function, each the package a reference names. */
  readonly arguments: readonly { readonly name: string; readonly value: PackageRef }[];
}

export interface Test extends PackageCommon, NixCode {
  readonly kind: "test";
  /** Images built only for this test, passed under their argument names. */
  readonly images: readonly { readonly name: string; readonly image: DockerImage }[];
}

export interface PulledImage extends PackageCommon {
  readonly kind: "pulledImage";
  readonly imageName: string;
  readonly imageTag: string;
  readonly sha256: string;
  /** The pin by digest (current nixpkgs), with the hash of what that pull produces. */
  readonly digest: string | null;
  readonly digestSha256: string | null;
}

export type IniValue = Template | number | boolean;
export interface IniSection {
  readonly name: string;
  /** Sorted by key, as nixpkgs' toINI prints them. */
  readonly keys: readonly (readonly [string, IniValue])[];
}
export type ConfigContent =
  | { readonly type: "template"; readonly text: Template }
  | {
      readonly type: "ini";
      readonly header: readonly string[];
      readonly sections: readonly IniSection[];
    };

export interface ConfigFile {
  readonly destination: string;
  /** Store file name, e.g. contrail-api.conf.ctmpl. */
  readonly name: string;
  readonly content: ConfigContent;
  readonly check: { readonly yaml: boolean; readonly mock: unknown };
}

/** A fluentd value: scalar, nested section, or repeated sub-sections. */
export type FluentdValue =
  string | number | boolean | FluentdDirective | readonly FluentdDirective[];
export interface FluentdDirective {
  readonly [key: string]: FluentdValue;
}
export interface Fluentd {
  readonly source: FluentdDirective;
  readonly filters: readonly FluentdDirective[];
}

export interface Service {
  readonly name: string;
  /** Null: the service is the consul-template-wrapper call rendering its configFiles. */
  readonly command: Template | null;
  readonly user: "nobody" | "root";
  readonly preStart: Template | null;
  readonly configFiles: readonly ConfigFile[];
  readonly consulTemplateFlags: readonly string[];
  /** The consul-template-wrapper command: a name on the image's PATH or an absolute path. */
  readonly consulTemplateWrapper: string;
  /** `-template "file:dest"` (space) or `-template="file:dest"` (equals). */
  readonly templateFlagForm: "space" | "equals";
  /** Whether the config files are rendered before (default) or after the pre-start lines. */
  readonly renderConfigFiles: "beforePreStart" | "afterPreStart";
  /** Loaded by runenv around the start: a path, or a file of the image or of a package. */
  readonly environmentFile: Template | null;
  readonly chdir: Template | null;
  readonly oneShot: boolean;
  readonly after: readonly string[];
  readonly fluentd: Fluentd | null;
}

export interface ImageConfig {
  readonly cmd: readonly Template[] | null;
  readonly env: readonly (readonly [string, Template])[];
  readonly workingDir: string | null;
  readonly exposedPorts: readonly string[];
  readonly volumes: readonly string[];
}

/** A store file of an image, referred to as `${{ self.files.<key> }}` in the image descriptor. */
export interface ImageFile {
  readonly key: string;
  /** Store name (what follows the hash). */
  readonly name: string;
  readonly content:
    | { readonly type: "text"; readonly text: Template; readonly executable: boolean }
    | { readonly type: "url"; readonly url: string; readonly sha256: string };
}

export interface DockerImage extends PackageCommon {
  readonly kind: "dockerImage";
  readonly imageName: string;
  /** Null: built from scratch. */
  readonly fromImage: PackageRef | null;
  readonly builder: "buildImage" | "buildImageWithNixDb";
  /** Whether the jobset's pushDockerImages jobs push this image. */
  readonly push: boolean;
  readonly services: readonly Service[];
  readonly contents: readonly PackageRef[];
  readonly files: readonly ImageFile[];
  readonly extraCommands: Template | null;
  readonly runAsRoot: Template | null;
  readonly config: ImageConfig;
}

export interface DebianPackage extends PackageCommon {
  readonly kind: "debianPackage";
  readonly packageName: string;
  readonly version: string;
  readonly repository: string;
  readonly contents: readonly PackageRef[];
  readonly maintainerScripts: readonly { readonly name: string; readonly text: Template }[];
  readonly files: readonly {
    readonly path: string;
    readonly text: Template;
    readonly executable: boolean;
  }[];
  readonly layout: Template | null;
}

export interface ContrailPackageSet extends PackageCommon {
  readonly kind: "contrailPackageSet";
  readonly upstream: { readonly entry: string; readonly version: string };
  readonly sourceOverrides: readonly { readonly key: string; readonly github: GitHubSource }[];
  readonly outputHashes: readonly { readonly attribute: string; readonly sha256: string }[];
  readonly expose: readonly string[];
  readonly vrouterModules: readonly { readonly name: string; readonly kernelHeaders: PackageRef }[];
}

export type Package =
  Application | ContrailPackageSet | DebianPackage | DockerImage | PulledImage | Test | Tool;

export interface Pins {
  readonly source: string;
  readonly nixpkgs: GitHubSource;
  readonly contrail: GitHubSource;
}

export interface HydraInput {
  readonly name: string;
  readonly type: "boolean" | "string" | "git";
  readonly value: string | boolean;
}
export interface Jobset {
  readonly name: string;
  readonly description: string;
  readonly branch: string;
  readonly keepnr: number;
  readonly checkinterval: number;
  readonly schedulingshares: number;
  readonly inputs: readonly HydraInput[];
}
export interface HydraProject {
  readonly source: string;
  readonly name: string;
  readonly project: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly repository: { readonly url: string; readonly branch: string };
  readonly nixpkgs: { readonly url: string; readonly rev: string };
  readonly enableemail: boolean;
  readonly emailoverride: string;
  /** Settings of the project's own `.jobsets` jobset (the defaults of the descriptor). */
  readonly defaults: {
    readonly keepnr: number;
    readonly checkinterval: number;
    readonly schedulingshares: number;
  };
  readonly jobsets: readonly Jobset[];
  readonly pullRequests: {
    readonly owner: string;
    readonly repo: string;
    readonly checkinterval: number;
    readonly schedulingshares: number;
    readonly keepnr: number;
  } | null;
}

export interface PackageSet {
  /** Sorted by attribute path. */
  readonly packages: readonly Package[];
  /** From packages/pins.yaml; null when the set has none (the seed-era pins are used). */
  readonly pins: Pins | null;
  readonly hydraProjects: readonly HydraProject[];
}

export const DEFAULT_PARENT_IMAGE: PackageRef = {
  ref: ["dockerImages", "pulled", "kubernetesBaseImage"],
};

/** Top-level names the generated tree uses for itself, or that references give a meaning to. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "args",
  "callPackage",
  "contrailPath",
  "cwLib",
  "default",
  "jobset",
  "lib",
  "pkgs",
  "self",
]);

export const refName = (r: PackageRef): string => r.ref.join(".");
