// generated/default.nix: imports nixpkgs and wires every package with callPackage, one file each,
// nested like the attribute tree. Nothing is evaluated until an attribute is asked for.

import { nix, type Binding, type Expr, type NixFile } from "../generator/nix/index.ts";
import type { Package } from "../generator/model.ts";
import { generatedHeader } from "./common.ts";

/** File of a package inside generated/: its attribute path as folders. */
export const packageFilePath = (p: { readonly attrPath: readonly string[] }): string =>
  `${p.attrPath.join("/")}.nix`;

/**
 * What default.nix and jobset.nix read of a package: where it is, and which jobs it gives. They
 * take nothing else, so an edit that changes none of this leaves them as they are (the output
 * cache knows them by these entries).
 */
export interface SetEntry {
  readonly attrPath: readonly string[];
  readonly kind: Package["kind"];
  /** An image Hydra pushes (`push: false` images get no push job). */
  readonly pushed: boolean;
  /** The parts of a Contrail package set that are jobs of their own. */
  readonly parts: readonly string[];
}

export const setEntry = (p: Package): SetEntry => ({
  attrPath: p.attrPath,
  kind: p.kind,
  pushed: p.kind === "dockerImage" && p.push,
  parts:
    p.kind === "contrailPackageSet" ? [...p.expose, ...p.vrouterModules.map((m) => m.name)] : [],
});

/** The attribute tree: a set's members by name (a Map: names are the user's folders and files). */
type Tree = Map<string, Tree | SetEntry>;

/** Sets that exist even when empty, so `-A tools` and the jobs keep their shape. */
const ALWAYS_PRESENT: readonly (readonly string[])[] = [
  ["debianPackages"],
  ["dockerImages"],
  ["dockerImages", "pulled"],
  ["tools"],
  ["test"],
];

/** The set at `path` below `root`, made when missing. */
function subtree(root: Tree, path: readonly string[]): Tree {
  let node = root;
  for (const name of path) {
    let next = node.get(name);
    if (next === undefined) {
      next = new Map();
      node.set(name, next);
    }
    node = next as Tree;
  }
  return node;
}

function buildTree(packages: readonly SetEntry[]): Tree {
  const root: Tree = new Map();
  for (const path of ALWAYS_PRESENT) subtree(root, path);
  for (const p of packages) subtree(root, p.attrPath.slice(0, -1)).set(p.attrPath.at(-1)!, p);
  return root;
}

function treeExpr(tree: Tree): Expr {
  const bindings: Binding[] = [...tree.keys()].sort().map((name) => {
    const node = tree.get(name)!;
    const value =
      node instanceof Map
        ? treeExpr(node)
        : nix.call(nix.ident("callPackage"), nix.path(`./${packageFilePath(node)}`), nix.attrs([]));
    return nix.bind([name], value);
  });
  return nix.attrs(bindings);
}

export function emitPackageSet(packages: readonly SetEntry[]): NixFile {
  const args = nix.lambda(
    {
      formals: [
        nix.formal(
          "fetched",
          nix.call(nix.ident("import"), nix.path("./nixpkgs-fetch.nix"), nix.attrs([])),
        ),
        nix.formal("nixpkgs", nix.select(nix.ident("fetched"), "pkgs")),
        nix.formal("contrail", nix.select(nix.ident("fetched"), "contrail")),
        // A flake, evaluated purely, has no current system: it passes its own.
        nix.formal("system", nix.ref("builtins.currentSystem")),
      ],
    },
    nix.let(
      [
        nix.bind(
          "pkgs",
          nix.call(
            nix.ident("import"),
            nix.ident("nixpkgs"),
            nix.attrs([nix.inherit(["system"]), nix.bind("config", nix.attrs([]))]),
          ),
        ),
        nix.bind(
          "cwLib",
          nix.call(nix.ident("import"), nix.path("./lib"), nix.attrs([nix.inherit(["pkgs"])])),
          { comment: "Helpers over nixpkgs builders, from templates/nix/." },
        ),
        nix.bind(
          "callPackage",
          nix.call(
            nix.select(nix.ident("pkgs"), "lib.callPackageWith"),
            nix.binary(
              "//",
              nix.ident("pkgs"),
              nix.binary(
                "//",
                nix.ident("cloudwatt"),
                nix.attrs([
                  nix.inherit(["callPackage", "cwLib", "pkgs"]),
                  nix.bind("contrailPath", nix.ident("contrail")),
                ]),
              ),
            ),
          ),
          {
            comment:
              "Package files take their arguments from nixpkgs, then this set, then these names.",
          },
        ),
        nix.bind("cloudwatt", treeExpr(buildTree(packages)), { blankBefore: true }),
      ],
      nix.ident("cloudwatt"),
    ),
  );
  return nix.file(generatedHeader(["the descriptors under packages/"]), args);
}
