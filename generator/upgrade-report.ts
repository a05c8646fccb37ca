// The upgrade report: for a current nixpkgs, which attributes of the package set would stop and
// why, from the facts of nixpkgs/facts.json. A package stops when it names a nixpkgs attribute
// the current nixpkgs no longer has, refuses or makes throw (in its descriptor, in the
// hand-written Nix files it calls, or through the library its kind uses), when it pulls an image
// by tag only (a current nixpkgs pulls by digest), or when a package of the set it uses stops.
// Renamed attributes are not causes: the generated files find either name.

import type { Package } from "./model.ts";
import { factOf, knownAttributes, profiles, type Fact } from "./nixpkgs-facts.ts";
import { formalsOf, nixTexts, refsOf, usesOf } from "./uses.ts";

/** Why a package stops: a nixpkgs attribute, or the pin of a pulled image. */
export type Cause =
  | { readonly kind: "nixpkgs"; readonly attribute: string; readonly fact: Fact }
  | { readonly kind: "digest"; readonly image: string };

export interface Stop {
  readonly attribute: string;
  readonly source: string;
  /** Its own causes. */
  readonly causes: readonly Cause[];
  /** Packages of the set it uses that stop. */
  readonly through: readonly string[];
}

export interface Renamed {
  readonly attribute: string;
  readonly renamedTo: string;
  readonly usedBy: readonly string[];
}

export interface UpgradeReport {
  readonly pinned: { readonly label: string; readonly nix: string };
  readonly current: { readonly label: string; readonly nix: string };
  /** Every attribute of the set, sorted: those that stop under the current nixpkgs have causes. */
  readonly attributes: readonly string[];
  readonly stops: readonly Stop[];
  readonly renamed: readonly Renamed[];
}

/**
 * nixpkgs attributes reached through the library a kind uses (by package kind, or tool type):
 * an Ubuntu VM tool boots Ubuntu 16.04's disk image; a Contrail package set is built by
 * nixpkgs-contrail of the pinned era, with GCC 5, Boost 1.55 and Protocol Buffers 2.5.
 */
const LIBRARY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  ubuntuVm: ["vmTools.diskImageFuns.ubuntu1604x86_64"],
  contrailPackageSet: ["gcc5", "boost155", "protobuf2_5"],
};

const NIX_REFERENCE = /\bpkgs\.([A-Za-z_][A-Za-z0-9_'-]*(?:\.[A-Za-z_][A-Za-z0-9_'-]*)*)/g;

/** The nixpkgs attributes (names or dotted paths the facts know) a package reaches itself. */
function nixpkgsAttributesOf(root: string, p: Package, known: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  const note = (path: readonly string[]) => {
    // The longest known prefix: `pkgs.vmTools.diskImageFuns.x` is a fact, `pkgs.lib.x` is `lib`.
    for (let n = path.length; n > 0; n--) {
      const attribute = path.slice(0, n).join(".");
      if (known.has(attribute)) {
        found.add(attribute);
        return;
      }
    }
  };
  for (const ref of refsOf(p)) if (ref[0] === "pkgs") note(ref.slice(1));
  const library = p.kind === "tool" ? p.tool.type : p.kind;
  for (const a of Object.hasOwn(LIBRARY_ATTRIBUTES, library) ? LIBRARY_ATTRIBUTES[library]! : []) {
    found.add(a);
  }
  for (const text of nixTexts(root, p)) {
    for (const m of text.matchAll(NIX_REFERENCE)) note(m[1]!.split("."));
  }
  // nixpkgs packages taken as arguments of the main file (callPackage fills them).
  for (const name of formalsOf(nixTexts(root, p)[0])) if (known.has(name)) found.add(name);
  return [...found].sort();
}

export function upgradeReport(root: string, packages: readonly Package[]): UpgradeReport {
  const { pinned, current } = profiles();
  const known = new Set(knownAttributes());
  const byPath = new Map(packages.map((p) => [p.attrPath.join("."), p]));
  const own = new Map<string, Cause[]>();
  const renamed = new Map<string, { renamedTo: string; usedBy: string[] }>();
  for (const p of packages) {
    const name = p.attrPath.join(".");
    const causes: Cause[] = [];
    for (const attribute of nixpkgsAttributesOf(root, p, known)) {
      const fact = factOf(attribute, "current");
      if (fact.renamedTo !== undefined) {
        const entry = renamed.get(attribute) ?? { renamedTo: fact.renamedTo, usedBy: [] };
        entry.usedBy.push(name);
        renamed.set(attribute, entry);
      } else if (fact.status !== "present") causes.push({ kind: "nixpkgs", attribute, fact });
    }
    if (p.kind === "pulledImage" && p.digest === null) {
      causes.push({ kind: "digest", image: `${p.imageName}:${p.imageTag}` });
    }
    own.set(name, causes);
  }
  // A package stops when it has causes of its own or uses one that stops (to a fixed point).
  const uses = new Map(packages.map((p) => [p.attrPath.join("."), usesOf(root, p, byPath)]));
  const stopping = new Set([...own].filter(([, c]) => c.length > 0).map(([n]) => n));
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, used] of uses) {
      if (!stopping.has(name) && used.some((u) => stopping.has(u))) {
        stopping.add(name);
        changed = true;
      }
    }
  }
  const attributes = [...byPath.keys()].sort();
  const stops = attributes
    .filter((a) => stopping.has(a))
    .map((a) => ({
      attribute: a,
      source: byPath.get(a)!.source,
      causes: own.get(a)!,
      through: uses.get(a)!.filter((u) => stopping.has(u)),
    }));
  const renamedList = [...renamed]
    .map(([attribute, r]) => ({ attribute, renamedTo: r.renamedTo, usedBy: r.usedBy.sort() }))
    .sort((a, b) => (a.attribute < b.attribute ? -1 : 1));
  return { pinned, current, attributes, stops, renamed: renamedList };
}

/** The error text a current nixpkgs gives for a cause (what the tests look for). */
export function expectedMessage(cause: Cause): string {
  if (cause.kind === "digest") return "this nixpkgs pulls images by digest";
  const last = cause.attribute.split(".").at(-1)!;
  switch (cause.fact.status) {
    case "removed":
      return `attribute '${last}' missing`;
    case "throws":
      return cause.fact.message ?? `'${last}'`;
    case "insecure":
      return "is marked as insecure, refusing to evaluate";
    case "unfree":
      return "has an unfree license";
    default:
      return "";
  }
}

/** One cause in words. */
export function describeCause(cause: Cause): string {
  if (cause.kind === "digest") {
    return `pulls ${cause.image} by tag; a current nixpkgs pulls by digest (set digest and digestSha256)`;
  }
  const f = cause.fact;
  const what =
    f.status === "removed"
      ? "removed"
      : f.status === "throws"
        ? `throws: ${f.message ?? ""}`
        : f.status === "insecure"
          ? "marked insecure, refused unless permitted"
          : `unfree (${f.license ?? "licence"}), refused unless config.allowUnfree`;
  const instead = f.replacement === undefined ? "" : `; nixpkgs names ${f.replacement} instead`;
  return `pkgs.${cause.attribute} ${what}${f.history === undefined ? "" : ` (${f.history})`}${instead}`;
}
