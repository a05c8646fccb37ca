// generated/jobset.nix: the jobs Hydra builds, with the arguments of the original jobset. The job
// lists are written out here from the package set; sets that come from elsewhere
// (nixpkgs-contrail, hand-written tests) go through cwLib.hydraJobs, which keeps derivations
// only, so every leaf Hydra reaches is a derivation without any hand-kept exclusion.

import { nix, type Binding, type Expr, type NixFile } from "../generator/nix/index.ts";
import type { SetEntry } from "./packageSet.ts";
import { generatedHeader } from "./common.ts";

/** Aptly API of the original CI, the default of `aptlyUrl`. */
export const DEFAULT_APTLY_URL = "http://aptly.int0.aub.cloudwatt.net/api";

const path = (p: SetEntry) => p.attrPath.join(".");
const fromSet = (attrPath: string): Expr => nix.ref(`set.${attrPath}`);
const apply = (fn: string, arg: Expr): Expr => nix.call(nix.ident(fn), arg);

type Job = readonly [readonly string[], Expr];

/** Jobs as a nested set from (attribute path, job) pairs, sorted; `sets` exist even if empty. */
function jobTree(jobs: readonly Job[], sets: readonly string[] = []): Expr {
  const children = new Map<string, Job[]>(sets.map((s) => [s, []]));
  const bindings = new Map<string, Expr>();
  for (const [p, job] of jobs) {
    if (p.length === 1) bindings.set(p[0]!, job);
    else children.set(p[0]!, [...(children.get(p[0]!) ?? []), [p.slice(1), job]]);
  }
  for (const [name, sub] of children) bindings.set(name, jobTree(sub));
  return nix.attrs(
    [...bindings.keys()].sort().map((name) => nix.bind([name], bindings.get(name)!)),
  );
}

function baseJobs(packages: readonly SetEntry[]): Expr {
  const jobs: Job[] = [];
  for (const p of packages) {
    switch (p.kind) {
      case "dockerImage":
      case "pulledImage":
      case "debianPackage":
        jobs.push([p.attrPath, fromSet(path(p))]);
        break;
      case "test":
        jobs.push([p.attrPath, apply("hydraJobs", fromSet(path(p)))]);
        break;
      case "contrailPackageSet":
        for (const name of p.parts) {
          jobs.push([[...p.attrPath, name], apply("hydraJobs", fromSet(`${path(p)}.${name}`))]);
        }
        break;
      default:
        break; // applications and tools are built as parts of the jobs above
    }
  }
  // As in default.nix, these sets exist even when empty.
  return jobTree(jobs, ["debianPackages", "dockerImages", "test"]);
}

function optionalJobs(flag: string, set: string, fn: string, targets: readonly SetEntry[]): Expr {
  const jobs = targets.map((p): Job => [p.attrPath.slice(1), apply(fn, fromSet(path(p)))]);
  return nix.call(
    nix.ref("pkgs.lib.optionalAttrs"),
    nix.ident(flag),
    nix.attrs([nix.bind([set], jobTree(jobs))]),
  );
}

export function emitJobset(packages: readonly SetEntry[]): NixFile {
  const formal = nix.formal;
  const formals = [
    formal("bootstrap_pkgs", nix.path("<nixpkgs>")),
    formal(
      "fetched",
      nix.call(
        nix.ident("import"),
        nix.path("./nixpkgs-fetch.nix"),
        nix.attrs([nix.bind("nixpkgs", nix.ident("bootstrap_pkgs"))]),
      ),
    ),
    formal("nixpkgs", nix.ref("fetched.pkgs")),
    formal("contrail", nix.ref("fetched.contrail")),
    formal("system", nix.ref("builtins.currentSystem")),
    formal("cloudwatt"),
    formal("pushToDockerRegistry", nix.bool(false)),
    formal("publishToAptly", nix.bool(false)),
    formal("unsetProxyForSkopeo", nix.bool(false)),
    formal("unsetProxyForAptly", nix.bool(false)),
    formal("aptlyUrl", nix.string(DEFAULT_APTLY_URL)),
  ];
  // Images with `push: false` (too big to publish, test-only) get no push job.
  const images = packages.filter((p) => p.pushed);
  const debs = packages.filter((p) => p.kind === "debianPackage");
  const bindings: Binding[] = [
    nix.bind(
      "set",
      nix.call(
        nix.ident("import"),
        nix.path("./default.nix"),
        nix.attrs([nix.inherit(["contrail", "fetched", "nixpkgs", "system"])]),
      ),
    ),
    nix.bind(
      "pkgs",
      nix.call(
        nix.ident("import"),
        nix.ident("nixpkgs"),
        nix.attrs([nix.inherit(["system"]), nix.bind("config", nix.attrs([]))]),
      ),
    ),
    nix.bind(
      "cwLib",
      nix.call(nix.ident("import"), nix.path("./lib"), nix.attrs([nix.inherit(["pkgs"])])),
    ),
    nix.inherit(["hydraJobs"], nix.ident("cwLib")),
    nix.bind("commitId", nix.call(nix.ref("cwLib.commitIdOf"), nix.ident("cloudwatt")), {
      comment: "Read only by the push jobs, so only they need the checkout's .git.",
    }),
    nix.bind(
      "pushImage",
      nix.lambda(
        "image",
        nix.call(
          nix.ref("cwLib.dockerPushImage"),
          nix.attrs([
            nix.inherit(["commitId", "image"]),
            nix.bind("unsetProxy", nix.ident("unsetProxyForSkopeo")),
          ]),
        ),
      ),
    ),
    nix.bind(
      "publishPackage",
      nix.lambda(
        "package",
        nix.call(
          nix.ref("cwLib.publishDebianPackage"),
          nix.attrs([
            nix.inherit(["aptlyUrl", "package"]),
            nix.bind("unsetProxy", nix.ident("unsetProxyForAptly")),
          ]),
        ),
      ),
    ),
  ];
  const body = nix.binary(
    "//",
    nix.binary(
      "//",
      baseJobs(packages),
      optionalJobs("pushToDockerRegistry", "pushDockerImages", "pushImage", images),
    ),
    optionalJobs("publishToAptly", "publishDebianPackages", "publishPackage", debs),
  );
  return nix.file(
    generatedHeader(["the descriptors under packages/"]),
    nix.lambda({ formals }, nix.let(bindings, body)),
  );
}
