// Resolution of a Debian package: contents, maintainer scripts, files and layout.

import type { DebianPackage } from "../model.ts";
import { error, whereIs, type Common } from "./context.ts";
import { checkUnique } from "./lists.ts";
import type { Reader } from "./reader.ts";

export function toDebianPackage(r: Reader, common: Common): DebianPackage {
  const scripts = r.child("maintainerScripts");
  const files = r.list("files").map((f) => ({
    path: f.str("path"),
    text: f.text("text"),
    executable: f.bool("executable", false),
  }));
  checkFilePaths(r, files);
  return {
    ...common,
    kind: "debianPackage",
    packageName: r.str("packageName"),
    version: r.str("version"),
    repository: r.optStr("repository") ?? r.str("packageName"),
    contents: r.refs("contents"),
    maintainerScripts: ["preinst", "postinst", "prerm", "postrm"]
      .filter((n) => scripts.has(n))
      .map((name) => ({ name, text: scripts.text(name) })),
    files,
    layout: r.optText("layout"),
  };
}

/** Each file once, and no file where another needs a folder (`etc/a` and `etc/a/b`). */
function checkFilePaths(r: Reader, files: readonly { readonly path: string }[]): void {
  const at = (i: number) => [...r.at("files"), i, "path"];
  checkUnique(r, files, (f) => f.path, at, "debian/duplicate-path", "file path");
  files.forEach((f, i) => {
    const j = files.findIndex((other) => other.path.startsWith(`${f.path}/`));
    if (j < 0) return;
    r.ctx.diagnostics.push(
      error(
        r.ctx.v,
        at(Math.max(i, j)),
        "debian/duplicate-path",
        `expected ${f.path} to be either a file or a folder, found the file ${f.path} and the file ${files[j]!.path} below it; the other is at ${whereIs(r.ctx.v, at(Math.min(i, j)))}`,
        "move one of the two files",
      ),
    );
  });
}
