// Template of the `hydraProject` kind: Hydra's declarative project files. spec.json configures
// the project's `.jobsets` jobset, which evaluates jobsets.nix; that expression describes every
// other jobset (one per branch of the descriptor, one per open pull request).

import { nix, type Binding, type Expr, type NixFile } from "../generator/nix/index.ts";
import type { HydraInput, HydraProject, Jobset } from "../generator/model.ts";
import { dataExpr, generatedHeader } from "./common.ts";

/** Folder of a project's files inside generated/. */
export const hydraProjectDir = (p: HydraProject): string => `ci/${p.name}`;

type Json = Record<string, unknown>;

const input = (type: string, value: string): Json => ({ type, value, emailresponsible: false });

function inputJson(i: HydraInput): Json {
  return input(i.type, typeof i.value === "boolean" ? String(i.value) : i.value);
}

/** The `cloudwatt` input: this repository at `branch`, with .git kept for the commit id. */
const repositoryInput = (p: HydraProject, branch: string): Json =>
  input("git", `${p.repository.url} ${branch} keepDotGit`);

function jobsetJson(p: HydraProject, j: Jobset): Json {
  const inputs: Json = {
    cloudwatt: repositoryInput(p, j.branch),
    bootstrap_pkgs: input("git", `${p.nixpkgs.url} ${p.nixpkgs.rev}`),
  };
  for (const i of j.inputs) inputs[i.name] = inputJson(i);
  return {
    enabled: "1",
    hidden: false,
    description: j.description,
    nixexprinput: "cloudwatt",
    nixexprpath: "jobset.nix",
    checkinterval: String(j.checkinterval),
    schedulingshares: j.schedulingshares,
    enableemail: p.enableemail,
    emailoverride: p.emailoverride,
    keepnr: j.keepnr,
    inputs,
  };
}

/** spec.json, read by Hydra when the declarative project is created. */
export function emitHydraSpec(p: HydraProject): string {
  const inputs: Json = {
    cloudwatt: repositoryInput(p, p.repository.branch),
    nixpkgs: input("git", `${p.nixpkgs.url} ${p.nixpkgs.rev}`),
  };
  if (p.pullRequests !== null) {
    inputs.pulls = input("githubpulls", `${p.pullRequests.owner} ${p.pullRequests.repo}`);
  }
  const spec = {
    enabled: 1,
    hidden: false,
    description: p.description ?? p.displayName,
    nixexprinput: "cloudwatt",
    nixexprpath: `generated/${hydraProjectDir(p)}/jobsets.nix`,
    checkinterval: p.defaults.checkinterval,
    schedulingshares: p.defaults.schedulingshares,
    enableemail: p.enableemail,
    emailoverride: p.emailoverride,
    keepnr: p.defaults.keepnr,
    inputs,
  };
  return JSON.stringify(spec, null, 2) + "\n";
}

/** One jobset per open pull request, from the `pulls` input (Hydra's githubpulls JSON). */
function pullRequestJobsets(p: HydraProject): Expr {
  const pr = p.pullRequests;
  if (pr === null) return nix.attrs([]);
  const gitInput = (value: Expr) =>
    nix.attrs([
      nix.bind("type", nix.string("git")),
      nix.bind("value", value),
      nix.bind("emailresponsible", nix.bool(false)),
    ]);
  const jobset = nix.attrs([
    nix.bind("enabled", nix.int(1)),
    nix.bind("hidden", nix.bool(false)),
    nix.bind("description", nix.string(["PR ", nix.ident("number"), ": ", nix.ref("info.title")])),
    nix.bind("nixexprinput", nix.string("cloudwatt")),
    nix.bind("nixexprpath", nix.string("jobset.nix")),
    nix.bind("checkinterval", nix.string(String(pr.checkinterval))),
    nix.bind("schedulingshares", nix.int(pr.schedulingshares)),
    nix.bind("enableemail", nix.bool(p.enableemail)),
    nix.bind("emailoverride", nix.string(p.emailoverride)),
    nix.bind("keepnr", nix.int(pr.keepnr)),
    nix.bind(
      "inputs",
      nix.attrs([
        nix.bind(
          "cloudwatt",
          gitInput(
            nix.string([
              "https://github.com/",
              nix.ref("info.head.repo.owner.login"),
              "/",
              nix.ref("info.head.repo.name"),
              ".git ",
              nix.ref("info.head.ref"),
              " keepDotGit",
            ]),
          ),
        ),
        nix.bind("bootstrap_pkgs", gitInput(nix.string(`${p.nixpkgs.url} ${p.nixpkgs.rev}`))),
      ]),
    ),
  ]);
  return nix.if(
    nix.binary("==", nix.ident("pulls"), nix.null()),
    nix.attrs([]),
    nix.call(
      nix.ref("pkgs.lib.mapAttrs"),
      nix.lambda("number", nix.lambda("info", jobset)),
      nix.call(
        nix.ref("builtins.fromJSON"),
        nix.call(nix.ref("builtins.readFile"), nix.ident("pulls")),
      ),
    ),
  );
}

/** jobsets.nix, evaluated by the `.jobsets` jobset; its `jobsets` output is the jobset map. */
export function emitHydraJobsets(p: HydraProject): NixFile {
  const branches = Object.fromEntries(p.jobsets.map((j) => [j.name, jobsetJson(p, j)]));
  const bindings: Binding[] = [
    nix.bind("pkgs", nix.call(nix.ident("import"), nix.ident("nixpkgs"), nix.attrs([]))),
    nix.bind("branches", dataExpr(branches), {
      comment: "One jobset per branch of the descriptor.",
    }),
    nix.bind("pullRequests", pullRequestJobsets(p)),
  ];
  const spec = nix.call(
    nix.ref("pkgs.runCommand"),
    nix.string("spec.json"),
    nix.attrs([
      nix.bind("passAsFile", nix.list([nix.string("jobsets")])),
      nix.bind(
        "jobsets",
        nix.call(
          nix.ref("builtins.toJSON"),
          nix.binary("//", nix.ident("branches"), nix.ident("pullRequests")),
        ),
      ),
    ]),
    nix.string(
      [
        "# The declarative input, for the evaluation log.\n",
        "echo ",
        nix.call(
          nix.ref("pkgs.lib.escapeShellArg"),
          nix.call(nix.ref("builtins.toXML"), nix.ident("declInput")),
        ),
        '\ncp "$jobsetsPath" "$out"\n',
      ],
      "indented",
    ),
  );
  const fn = nix.lambda(
    { formals: ["nixpkgs", "declInput", nix.formal("pulls", nix.null())] },
    nix.let(bindings, nix.attrs([nix.bind("jobsets", spec)])),
  );
  return nix.file(generatedHeader([p.source]), fn);
}
