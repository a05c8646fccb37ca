// Template of the `application` kind: a Go program from a pinned GitHub archive.

import { nix, type Binding, type NixFile } from "../generator/nix/index.ts";
import type { Application } from "../generator/model.ts";
import { fetchFromGitHubExpr, packageFile } from "./common.ts";

export function emitApplication(app: Application): NixFile {
  const src = fetchFromGitHubExpr(app.github);
  const bindings: Binding[] = [
    nix.bind("name", nix.string(`${app.pname}-${app.version}`)),
    nix.bind("goPackagePath", nix.string(app.go.packagePath)),
    nix.bind("src", src),
  ];
  if (app.go.ldflags.length > 0) {
    // One `go install` argument carries all linker flags.
    const flags = nix.string(`-ldflags=${app.go.ldflags.join(" ")}`);
    bindings.push(nix.bind("buildFlagsArray", nix.list([flags])));
  }
  if (app.description !== null) {
    bindings.push(nix.bind("meta.description", nix.string(app.description)));
  }
  const body = nix.call(nix.ident("buildGoPackage"), nix.attrs(bindings));
  return packageFile(app.source, ["buildGoPackage", "fetchFromGitHub"], body);
}
