// Template of the `tool` kind: a shell script with its programs on PATH (cwLib.shellTool), an
// Ubuntu VM with Debian packages installed (cwLib.runUbuntuVmScript), or a hand-written Nix file
// beside the descriptor called with callPackage and its arguments (common.nixCodeFile).

import {
  nix,
  type Binding,
  type Expr,
  type NixFile,
  type StringPart,
} from "../generator/nix/index.ts";
import type { Template, Tool } from "../generator/model.ts";
import { nixCodeFile, packageFile, refExpr, refHeads } from "./common.ts";
import { LetNames } from "./names.ts";

/** Template text where `${{ self.files }}` is the tool's files directory, bound as `files`. */
function toolText(t: Template, files: string): StringPart[] {
  return t.map((p) =>
    typeof p === "string" ? p : p.ref[0] === "self" ? nix.ident(files) : refExpr(p),
  );
}

const heads = (t: Template): string[] => refHeads(t).filter((h) => h !== "self");

export function emitTool(tool: Tool, filePath: string): NixFile {
  const spec = tool.tool;
  if (spec.type === "nixFile") return nixCodeFile(tool.source, spec, filePath);
  if (spec.type === "ubuntuVm") {
    const body = nix.call(
      nix.select(nix.ident("cwLib"), "runUbuntuVmScript"),
      nix.list(spec.debianPackages.map(refExpr)),
    );
    return packageFile(tool.source, ["cwLib", ...spec.debianPackages.map((r) => r.ref[0]!)], body);
  }
  const args = [
    "cwLib",
    ...spec.runtimeInputs.map((r) => r.ref[0]!),
    ...heads(spec.text),
    ...spec.files.flatMap((f) => heads(f.text)),
  ];
  // The files directory is `files`, unless the tool refers to a package of that name.
  const filesName = new LetNames(args).fresh("files");
  const script = nix.call(
    nix.select(nix.ident("cwLib"), "shellTool"),
    nix.attrs([
      nix.bind("name", nix.string(spec.program)),
      nix.bind("runtimeInputs", nix.list(spec.runtimeInputs.map(refExpr))),
      nix.bind("text", nix.string(toolText(spec.text, filesName), "indented")),
    ]),
  );
  const files: Binding[] =
    spec.files.length === 0
      ? []
      : [
          nix.bind(
            filesName,
            nix.call(
              nix.select(nix.ident("cwLib"), "toolFiles"),
              nix.string(spec.program),
              nix.attrs(
                spec.files.map((f) =>
                  nix.bind([f.path], nix.string(toolText(f.text, filesName), "indented")),
                ),
              ),
            ),
          ),
        ];
  const body: Expr = files.length === 0 ? script : nix.let(files, script);
  return packageFile(tool.source, args, body);
}
