// What each nixpkgs attribute the package set may reach is, in the pinned nixpkgs and in a
// current one (nixpkgs/facts.json, the one source: the test harness builds its current profile
// from the same file). The generator checks `${{ pkgs.<name> }}` against the pinned profile and
// writes the upgrade report from the current one.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const FACTS_PATH = fileURLToPath(new URL("../nixpkgs/facts.json", import.meta.url));

export type Profile = "pinned" | "current";
export type Status = "present" | "removed" | "throws" | "insecure" | "unfree";

export interface Fact {
  readonly status: Status;
  /** The error text nixpkgs gives (throws), or the reason it refuses (insecure, unfree). */
  readonly message?: string;
  readonly replacement?: string;
  /** Only renamed: the library picks whichever name the nixpkgs in use has. */
  readonly renamedTo?: string;
  readonly license?: string;
  readonly history?: string;
  readonly source?: string;
  readonly checked?: string;
}

interface FactsFile {
  readonly profiles: Record<Profile, { readonly label: string; readonly nix: string }>;
  readonly attributes: Record<string, Partial<Record<Profile, Fact>>>;
}

let loaded: FactsFile | undefined;

function facts(): FactsFile {
  loaded ??= JSON.parse(readFileSync(FACTS_PATH, "utf8")) as FactsFile;
  return loaded;
}

/** The profiles: what nixpkgs each is and the Nix it needs. */
export const profiles = (): FactsFile["profiles"] => facts().profiles;

/** An attribute (a top-level name, or a dotted path) in a profile; present when no fact says otherwise. */
export function factOf(attribute: string, profile: Profile): Fact {
  const entry = Object.hasOwn(facts().attributes, attribute)
    ? facts().attributes[attribute]
    : undefined;
  return entry?.[profile] ?? { status: "present" };
}

/** Every attribute the file knows. */
export const knownAttributes = (): string[] => Object.keys(facts().attributes);

let pinnedNames: Set<string> | undefined;

/** Top-level names a descriptor may use as `${{ pkgs.<name> }}`: those the pinned nixpkgs has. */
export function nixpkgsAttributes(): ReadonlySet<string> {
  pinnedNames ??= new Set(
    knownAttributes().filter((a) => !a.includes(".") && factOf(a, "pinned").status === "present"),
  );
  return pinnedNames;
}
