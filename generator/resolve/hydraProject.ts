// Resolution of a Hydra project: its defaults, jobsets and pull-request jobset.

import type { HydraProject } from "../model.ts";
import type { ValidDescriptor } from "../validate.ts";
import type { Data } from "../data.ts";
import { Reader } from "./reader.ts";

export function toHydraProject(v: ValidDescriptor): HydraProject {
  const r = new Reader(
    { v, known: new Set(), diagnostics: [], refs: [], imageFiles: new Set() },
    v.value as Data,
    [],
  );
  const defaults = r.child("defaults");
  const jobsets = r.child("jobsets");
  const pr = r.child("pullRequests");
  return {
    source: v.parsed.file.path,
    name: v.parsed.file.attrPath[v.parsed.file.attrPath.length - 1]!,
    project: r.str("project"),
    displayName: r.str("displayName"),
    description: r.optStr("description"),
    repository: {
      url: r.child("repository").str("url"),
      branch: r.child("repository").optStr("branch") ?? "master",
    },
    nixpkgs: { url: r.child("nixpkgs").str("url"), rev: r.child("nixpkgs").str("rev") },
    enableemail: defaults.bool("enableemail", false),
    emailoverride: defaults.optStr("emailoverride") ?? "",
    defaults: {
      keepnr: defaults.num("keepnr", 1),
      checkinterval: defaults.num("checkinterval", 60),
      schedulingshares: defaults.num("schedulingshares", 100),
    },
    jobsets: Object.keys(jobsets.data).map((name) => {
      const j = jobsets.child(name);
      return {
        name,
        description: j.str("description"),
        branch: j.optStr("branch") ?? "master",
        keepnr: j.num("keepnr", defaults.num("keepnr", 1)),
        checkinterval: j.num("checkinterval", defaults.num("checkinterval", 60)),
        schedulingshares: j.num("schedulingshares", defaults.num("schedulingshares", 100)),
        inputs: j.entries("inputs").flatMap(([input]) => {
          const [type, value] = j.child("inputs").entries(input)[0] ?? [];
          if (typeof value !== "string" && typeof value !== "boolean") return [];
          return [{ name: input, type: type as "boolean" | "string" | "git", value }];
        }),
      };
    }),
    pullRequests: r.has("pullRequests")
      ? {
          owner: pr.str("owner"),
          repo: pr.str("repo"),
          checkinterval: pr.num("checkinterval", 30),
          schedulingshares: pr.num("schedulingshares", 20),
          keepnr: pr.num("keepnr", 1),
        }
      : null,
  };
}
