// generated/default.nix: imports nixpkgs and wires every package with callPackage, one file each,
// nested like the attribute tree. Nothing is evaluated until an attribute is asked for.

import { nix, type Binding, type Expr, type NixFile } from "../generator/nix/index.ts";
import type { Package } from "../generator/model.ts";
import { generatedHeader } from "./common.ts";

/** File of a package inside generated/: its attribute path as folders. */
export const packageFilePath = (p: Package): string => `${p.attrPath.join("/")}.nix`;

interface Tree {
  [name: string]: Tree | Package;
}

/** Sets that exist even when empty, so `-A tools` and the jobs keep their shape. */
const ALWAYS_PRESENT: readonly (readonly string[])[] = [
  ["debianPackages"],
  ["dockerImages"],
  ["dockerImages", "pulled"],
  ["tools"],
  ["test"],
];

function buildTree(packages: readonly Package[]): Tree {
  const root: Tree = {};
  for (const path of ALWAYS_PRESENT) {
    let node = root;
    for (const name of path) node = (node[name] ??= {}) as Tree;
  }
  for (const p of packages) {
    let node = root;
    for (const name of p.attrPath.slice(0, -1)) node = (node[name] ??= {}) as Tree;
    node[p.attrPath[p.attrPath.length - 1]!] = p;
  }
  return root;
}

function treeExpr(tree: Tree): Expr {
  const bindings: Binding[] = Object.keys(tree)
    .sort()
    .map((name) => {
      const node = tree[name]!;
      const value =
        "kind" in node && typeof node.kind === "string"
          ? nix.call(
              nix.ident("callPackage"),
              nix.path(`./${packageFilePath(node as Package)}`),
              nix.attrs([]),
            )
          : treeExpr(node as Tree);
      return nix.bind([name], value);
    });
  return nix.attrs(bindings);
}

export function emitPackageSet(packages: readonly Package[]): NixFile {
  const args = nix.lambda(
    {
      formals: [
        nix.formal(
          "fetched",
          nix.call(nix.ident("import"), nix.path("./nixpkgs-fetch.nix"), nix.attrs([])),
        ),
        nix.formal("nixpkgs", nix.select(nix.ident("fetched"), "pkgs")),
        nix.formal("contrail", nix.select(nix.ident("fetched"), "contrail")),
      ],
    },
    nix.let(
      [
        nix.bind(
          "pkgs",
          nix.call(nix.ident("import"), nix.ident("nixpkgs"), nix.attrs({ config: nix.attrs([]) })),
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
