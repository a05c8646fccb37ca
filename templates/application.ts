// Template of the `application` kind: a Go program from a pinned GitHub archive.

import { nix, type Binding, type NixFile } from "../generator/nix/index.ts";
import type { Application } from "../generator/model.ts";
import { fetchFromGitHubExpr, packageFile } from "./common.ts";

/** Go programs from a GitHub archive are generated; other builds are checked only, for now. */
export function isGenerated(app: Application): boolean {
  return app.build.builder === "go" && app.src?.type === "github";
}

export function emitApplication(app: Application): NixFile {
  if (app.build.builder !== "go" || app.src?.type !== "github") {
    throw new Error(`${app.source}: only Go builds from GitHub are generated`);
  }
  const go = app.build;
  const src = fetchFromGitHubExpr(app.src);
  const name = app.version === null ? app.pname : `${app.pname}-${app.version}`;
  const bindings: Binding[] = [
    nix.bind("name", nix.string(name)),
    nix.bind("goPackagePath", nix.string(go.packagePath)),
    nix.bind("src", src),
  ];
  if (go.ldflags.length > 0) {
    // One `go install` argument carries all linker flags.
    const flags = nix.string(`-ldflags=${go.ldflags.join(" ")}`);
    bindings.push(nix.bind("buildFlagsArray", nix.list([flags])));
  }
  if (app.description !== null) {
    bindings.push(nix.bind("meta.description", nix.string(app.description)));
  }
  const body = nix.call(nix.ident("buildGoPackage"), nix.attrs(bindings));
  return packageFile(app.source, ["buildGoPackage", "fetchFromGitHub"], body);
}
