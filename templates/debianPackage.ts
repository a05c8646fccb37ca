// Template of the `debianPackage` kind: a .deb assembled by cwLib.mkDebianPackage. The control
// file is computed here and appears literally in the generated file.

import { nix, type NixFile } from "../generator/nix/index.ts";
import type { DebianPackage } from "../generator/model.ts";
import { packageFile, refExpr, refHeads, textParts } from "./common.ts";

/** DEBIAN/control: the fields dpkg needs, nothing computed at build time. */
export function controlFile(p: DebianPackage): string {
  return [
    `Package: ${p.packageName}`,
    "Architecture: all",
    `Description: ${p.description ?? p.packageName}`,
    "Maintainer: nobody",
    `Version: ${p.version}`,
    "",
  ].join("\n");
}

export function emitDebianPackage(p: DebianPackage): NixFile {
  const bindings = [
    nix.bind("name", nix.string(p.packageName)),
    nix.bind("version", nix.string(p.version)),
    nix.bind("repository", nix.string(p.repository)),
    nix.bind("control", nix.string(controlFile(p), "indented")),
    nix.bind("contents", nix.list(p.contents.map(refExpr))),
  ];
  if (p.maintainerScripts.length > 0) {
    bindings.push(
      nix.bind(
        "maintainerScripts",
        nix.attrs(
          p.maintainerScripts.map((s) =>
            nix.bind([s.name], nix.string(textParts(s.text), "indented")),
          ),
        ),
      ),
    );
  }
  if (p.files.length > 0) {
    bindings.push(
      nix.bind(
        "files",
        nix.attrs(
          p.files.map((f) =>
            nix.bind(
              [f.path],
              nix.attrs([
                nix.bind("text", nix.string(textParts(f.text), "indented")),
                nix.bind("executable", nix.bool(f.executable)),
              ]),
            ),
          ),
        ),
      ),
    );
  }
  if (p.layout !== null)
    bindings.push(nix.bind("layout", nix.string(textParts(p.layout), "indented")));
  const body = nix.call(nix.select(nix.ident("cwLib"), "mkDebianPackage"), nix.attrs(bindings));
  const args = [
    "cwLib",
    ...p.contents.map((r) => r.ref[0]!),
    ...p.maintainerScripts.flatMap((s) => refHeads(s.text)),
    ...p.files.flatMap((f) => refHeads(f.text)),
    ...(p.layout === null ? [] : refHeads(p.layout)),
  ];
  return packageFile(p.source, args, body);
}
