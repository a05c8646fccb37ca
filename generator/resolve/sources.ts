// Sources shared by several kinds: GitHub revisions, pins of other forms, and meta.

import type { GitHubSource, Meta, Pin } from "../model.ts";
import type { Reader } from "./reader.ts";

export function toGitHub(r: Reader): GitHubSource {
  return {
    owner: r.str("owner"),
    repo: r.str("repo"),
    rev: r.str("rev"),
    sha256: r.hash("sha256"),
    name: r.optStr("name"),
    branch: r.optStr("branch"),
  };
}

export function toPin(r: Reader): Pin {
  if (r.has("github")) return { type: "github", ...toGitHub(r.child("github")) };
  if (r.has("git")) {
    const g = r.child("git");
    return { type: "git", url: g.str("url"), rev: g.str("rev"), sha256: g.hash("sha256") };
  }
  if (r.has("url")) {
    const u = r.child("url");
    return { type: "url", url: u.str("url"), sha256: u.hash("sha256") };
  }
  if (r.has("zip")) {
    const z = r.child("zip");
    return {
      type: "zip",
      url: z.str("url"),
      sha256: z.hash("sha256"),
      stripRoot: z.bool("stripRoot", true),
      name: z.optStr("name"),
    };
  }
  return {
    type: "urls",
    files: r.list("urls").map((u) => ({ url: u.str("url"), sha256: u.hash("sha256") })),
  };
}

export function toMeta(r: Reader): Meta {
  return {
    homepage: r.optStr("homepage"),
    license: r.optStr("license"),
    platforms: r.strings("platforms"),
    maintainers: r.strings("maintainers"),
  };
}
