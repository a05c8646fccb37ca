// Hand-written Nix files of tests and Nix-file tools: the descriptor's fields, and the check that
// every .nix file under packages/ exists where named and is named by a descriptor.

import { didYouMean, type Diagnostic } from "../diagnostics.ts";
import type { NixCode, Package } from "../model.ts";
import type { ValidDescriptor } from "../validate.ts";
import { error, type Common } from "./context.ts";
import type { Reader } from "./reader.ts";

/** `nixFile`, `nixImports` and `arguments` of a test or a tool, paths made repository-relative. */
export function toNixCode(r: Reader, common: Common): NixCode {
  const dir = common.source.slice(0, common.source.lastIndexOf("/"));
  return {
    nixFile: `${dir}/${r.str("nixFile").slice(2)}`,
    nixImports: r.strings("nixImports").map((f) => `${dir}/${f.slice(2)}`),
    arguments: r
      .entries("arguments")
      .map(([name]) => ({ name, value: r.child("arguments").ref(name) })),
  };
}

/** The hand-written Nix code of a test or of a tool made of a Nix file. */
export function nixCodeOf(p: Package): NixCode | null {
  if (p.kind === "test") return p;
  if (p.kind === "tool" && p.tool.type === "nixFile") return p.tool;
  return null;
}

/**
 * The hand-written file of a test or a tool must exist beside it; every .nix file must be named
 * by one of them.
 */
export function checkNixFiles(
  descriptors: readonly ValidDescriptor[],
  nixFiles: readonly string[],
  packages: readonly Package[],
  diagnostics: Diagnostic[],
  namedElsewhere: ReadonlySet<string> = new Set(),
): void {
  const named = new Set<string>(namedElsewhere);
  for (const pkg of packages) {
    const p = nixCodeOf(pkg);
    if (p === null) continue;
    named.add(p.nixFile);
    p.nixImports.forEach((file, i) => {
      named.add(file);
      if (nixFiles.includes(file)) return;
      const v = descriptors.find((d) => d.parsed.file.path === pkg.source)!;
      diagnostics.push(
        error(v, ["nixImports", i], "nixfile/missing", `expected a file ${file}, found none`),
      );
    });
    if (nixFiles.includes(p.nixFile)) continue;
    const v = descriptors.find((d) => d.parsed.file.path === pkg.source)!;
    const beside = nixFiles.filter((f) =>
      f.startsWith(pkg.source.slice(0, pkg.source.lastIndexOf("/") + 1)),
    );
    const suggestion = didYouMean(p.nixFile, beside);
    diagnostics.push(
      error(
        v,
        ["nixFile"],
        "nixfile/missing",
        `expected a file ${p.nixFile} beside the descriptor, found none`,
        suggestion === undefined
          ? undefined
          : `did you mean ./${suggestion.slice(suggestion.lastIndexOf("/") + 1)}?`,
      ),
    );
  }
  for (const file of nixFiles) {
    if (named.has(file)) continue;
    diagnostics.push({
      severity: "error",
      code: "path/unused-nix-file",
      file,
      line: 0,
      column: 0,
      length: 0,
      field: "",
      message:
        "a .nix file under packages/ must be named by a descriptor beside it (nixFile: ./<file>.nix)",
    });
  }
}
