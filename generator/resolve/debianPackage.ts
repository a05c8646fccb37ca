// Resolution of a Debian package: contents, maintainer scripts, files and layout.

import type { DebianPackage } from "../model.ts";
import type { Common } from "./context.ts";
import type { Reader } from "./reader.ts";

export function toDebianPackage(r: Reader, common: Common): DebianPackage {
  const scripts = r.child("maintainerScripts");
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
    files: r.list("files").map((f) => ({
      path: f.str("path"),
      text: f.text("text"),
      executable: f.bool("executable", false),
    })),
    layout: r.optText("layout"),
  };
}
