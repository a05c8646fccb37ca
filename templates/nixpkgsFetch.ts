// generated/nixpkgs-fetch.nix: the pinned nixpkgs and nixpkgs-contrail source trees.

import { nix, type NixFile } from "../generator/nix/index.ts";
import type { GitHubSource, Pins } from "../generator/model.ts";
import { fetchFromGitHubExpr, generatedHeader } from "./common.ts";

interface GitHubPin {
  readonly attr: string;
  readonly comment: string;
  readonly owner: string;
  readonly repo: string;
  readonly rev: string;
  readonly sha256: string;
  /** Where the pin is written. */
  readonly from: string;
}

/** The pins of the original package set (Sept 2018). */
export const SEED_PINS: readonly GitHubPin[] = [
  {
    attr: "pkgs",
    comment: "nixpkgs, branch release-18.03",
    owner: "NixOS",
    repo: "nixpkgs",
    rev: "6796f5db1c2a25aeade10d613ddb403e4eb7a928",
    sha256: "0fmvh1wcr1rgsr6cv8bpw5rmm9ypg94q7h9s4xqzaq567d3nhhhz",
    from: "the seed pins in templates/nixpkgsFetch.ts",
  },
  {
    attr: "contrail",
    comment: "nixpkgs-contrail, branch master",
    owner: "nlewo",
    repo: "nixpkgs-contrail",
    rev: "856e0d3f7e58d5c51aae86bc3a12732b3c33baf4",
    sha256: "15qfhy9xb3rfpzh3nz3342ak25nshb50sfspy2y85bqk1dpdxdv5",
    from: "the seed pins in templates/nixpkgsFetch.ts",
  },
];

/** The pins of packages/pins.yaml, or the seed's when the set has none. */
export function pinsOf(pins: Pins | null): readonly GitHubPin[] {
  if (pins === null) return SEED_PINS;
  const pin = (attr: string, what: string, p: GitHubSource): GitHubPin => ({
    attr,
    comment: p.branch === null ? what : `${what}, branch ${p.branch}`,
    owner: p.owner,
    repo: p.repo,
    rev: p.rev,
    sha256: p.sha256,
    from: pins.source,
  });
  return [pin("pkgs", "nixpkgs", pins.nixpkgs), pin("contrail", "nixpkgs-contrail", pins.contrail)];
}

export function emitNixpkgsFetch(pins: readonly GitHubPin[] = SEED_PINS): NixFile {
  const fetches = pins.map((pin) =>
    nix.bind(pin.attr, fetchFromGitHubExpr(pin), { comment: pin.comment }),
  );
  const body = nix.let(
    [
      nix.inherit(
        ["fetchFromGitHub"],
        nix.call(nix.ident("import"), nix.ident("nixpkgs"), nix.attrs([])),
      ),
    ],
    nix.attrs(fetches),
  );
  const header = [
    "The nixpkgs and nixpkgs-contrail revisions the package set builds with by default.",
    ...generatedHeader([...new Set(pins.map((p) => p.from))]),
  ];
  return nix.file(
    header,
    nix.lambda({ formals: [nix.formal("nixpkgs", nix.path("<nixpkgs>"))] }, body),
  );
}
