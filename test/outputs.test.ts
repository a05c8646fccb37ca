// The text outputs that define behaviour, built with the harness and compared with the
// expectations under test/expected/, written by hand from the reference inventory (so a change to
// one of the original's packages fails here). An output the original did not have needs no
// expectation: it is compared with its snapshot under test/snapshots/ when it has one, which
// `npm run test:update` writes (and removes when its output is gone), reviewed in the diff like
// generated/. Expectations and snapshots have the same layout:
//   dockerImages/<image>/<service>/rc.main   the perp run script of every service of every image
//   dockerImages/<image>/<service>/oneshot   the one-shot wrapper a one-shot service runs first
//   dockerImages/<image>/<service>/start     the start script it runs, when there is one
//   dockerImages/<image>/<service>/<name>    every text file of the store the start script names
//                                            (consul-template templates, fluentd.conf, ...)
//   test/<test>/<image>/<service>/...        the same for every service of every image a test
//                                            declares (`images:`, test.<test>.images.<image>)
//   debianPackages/<package>/control         the control file of every Debian package
//   tools/<tool>/<program>                   the program of every script tool
//   tools/<tool>/<name>                      every file of the `files` set of a Nix-file tool
// Store paths are compared as `<store>/<name without version>`.

import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import fg from "fast-glob";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CONTRAIL_HARNESS,
  HARNESS_PROFILES,
  REPO,
  currentStops,
  nixTestsEnabled,
  normalise,
  packageSetExpr,
  repoWithDigests,
  run,
} from "./helpers.ts";

process.env.NIX_CONFIG = "substituters =\n";

const EXPECTED = join(REPO, "test/expected");
const SNAPSHOTS = join(REPO, "test/snapshots");
/** `npm run test:update`: write the snapshots of outputs without an expectation. */
const UPDATE = process.env.NIXGEN_UPDATE_SNAPSHOTS === "1";

const read = (path: string) => readFileSync(path, "utf8");
const expected = (...parts: string[]) => join(EXPECTED, ...parts);

/** Snapshot files that match an output, in this run (for the clean-up of update mode). */
const snapshotsUsed = new Set<string>();

/**
 * Compare an output with its expectation (test/expected/<rel>), or else with its snapshot
 * (test/snapshots/<rel>), written instead in update mode; an output with neither is not checked.
 * Returns the problem, if any.
 */
function compare(what: string, rel: string, actual: string): string | undefined {
  const expectation = join(EXPECTED, rel);
  if (existsSync(expectation)) {
    return read(expectation) === actual
      ? undefined
      : `${what}: differs from ${expectation}:\n${actual}`;
  }
  const snapshot = join(SNAPSHOTS, rel);
  snapshotsUsed.add(snapshot);
  if (UPDATE) {
    if (!existsSync(snapshot) || read(snapshot) !== actual) {
      mkdirSync(dirname(snapshot), { recursive: true });
      writeFileSync(snapshot, actual);
    }
    return undefined;
  }
  if (!existsSync(snapshot) || read(snapshot) === actual) return undefined;
  return `${what}: differs from its snapshot ${snapshot} (npm run test:update, if the change is wanted):\n${actual}`;
}
const isText = (path: string) => !readFileSync(path).includes(0);

/** Store files a script names: `/nix/store/<hash>-<name>` tokens that are text files. */
function storeFilesIn(script: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const [path, name] of script.matchAll(
    /\/nix\/store\/[a-z0-9]{32}-([^/\s'":]+)(?=[\s'":]|$)/g,
  )) {
    if (existsSync(path) && statSync(path).isFile() && isText(path)) files.set(name!, path);
  }
  return files;
}

/** Every script tool of packages/tools and its program name. */
function scriptTools(): [string, string][] {
  return fg.sync("*.yaml", { cwd: join(REPO, "packages/tools") }).flatMap((file) => {
    const doc = parse(read(join(REPO, "packages/tools", file))) as { script?: { program: string } };
    return doc.script === undefined ? [] : [[file.replace(/\.yaml$/, ""), doc.script.program]];
  });
}

/** Every test that declares images of its own, with their names. */
function testImages(): [string, string[]][] {
  return fg.sync("*.yaml", { cwd: join(REPO, "packages/test") }).flatMap((file) => {
    const doc = parse(read(join(REPO, "packages/test", file))) as {
      images?: Record<string, unknown>;
    };
    return doc.images === undefined ? [] : [[file.replace(/\.yaml$/, ""), Object.keys(doc.images)]];
  });
}

/** Every tool written as a Nix file (`nixFile:`); its result's `files` are checked. */
function nixFileTools(): string[] {
  return fg.sync("*.yaml", { cwd: join(REPO, "packages/tools") }).flatMap((file) => {
    const doc = parse(read(join(REPO, "packages/tools", file))) as { nixFile?: string };
    return doc.nixFile === undefined ? [] : [file.replace(/\.yaml$/, "")];
  });
}

describe.runIf(nixTestsEnabled())("text outputs against test/expected", () => {
  describe.each(Object.entries(HARNESS_PROFILES))("with the %s harness", (profile, harness) => {
    const args = ["--arg", "nixpkgs", harness, "--arg", "contrail", CONTRAIL_HARNESS];
    let services: Record<string, string[]> = {};
    let testServices: Record<string, Record<string, string[]>> = {};
    let debs: string[] = [];
    let toolFiles: Record<string, string[]> = {};
    const built = new Map<string, string>();
    // A current nixpkgs pulls by digest only: there, a copy whose pulled images have (made-up)
    // digests, which the harness's fetcher stand-ins accept (README: "Pulled images and current
    // nixpkgs"). The texts do not depend on the pulled images.
    let root = REPO;
    let skippedTools = new Set<string>();
    let stoppedTools = new Set<string>();

    /** The images whose services are checked: the set's, then those of the tests. */
    const groups = () => [
      ...Object.entries(services).map(([image, names]) => ({
        at: ["dockerImages", image],
        attr: `dockerImages.${image}`,
        names,
      })),
      ...Object.entries(testServices).flatMap(([test, images]) =>
        Object.entries(images).map(([image, names]) => ({
          at: ["test", test, image],
          attr: `test.${test}.images.${image}`,
          names,
        })),
      ),
    ];

    beforeAll(async () => {
      if (profile === "nixpkgs-current") root = await repoWithDigests();
      const listing = run("nix-instantiate", [
        "--eval",
        "--strict",
        "--json",
        "-E",
        `let
           set = ${packageSetExpr(harness, root)};
           isDerivation = v: builtins.isAttrs v && (v.type or null) == "derivation";
           derivations = s: builtins.filter (n: isDerivation s.\${n}) (builtins.attrNames s);
         in {
           services = builtins.listToAttrs (map (n: { name = n; value = builtins.attrNames (set.dockerImages.\${n}.perpServices or { }); }) (derivations set.dockerImages));
           testServices = { ${testImages()
             .map(
               ([t, images]) =>
                 `${JSON.stringify(t)} = { ${images.map((i) => `${JSON.stringify(i)} = builtins.attrNames set.test.\${${JSON.stringify(t)}}.images.\${${JSON.stringify(i)}}.perpServices;`).join(" ")} };`,
             )
             .join(" ")} };
           debs = derivations set.debianPackages;
           toolFiles = builtins.listToAttrs (map (n: { name = n; value = derivations (set.tools.\${n}.files or { }); }) [ ${nixFileTools()
             .map((t) => JSON.stringify(t))
             .join(" ")} ]);
         }`,
      ]);
      expect(listing.status, listing.stderr).toBe(0);
      ({ services, testServices, debs, toolFiles } = JSON.parse(listing.stdout) as {
        services: typeof services;
        testServices: typeof testServices;
        debs: string[];
        toolFiles: typeof toolFiles;
      });
      // What stops there for a reason other than digests is checked to stop, as the upgrade
      // report says (test/upgrade-report.test.ts); its texts are checked under 18.03.
      const stopped = profile === "nixpkgs-current" ? [...(await currentStops(root)).keys()] : [];
      const stops = (a: string) => stopped.some((s) => a === s || a.startsWith(`${s}.`));
      services = Object.fromEntries(
        Object.entries(services).filter(([image]) => !stops(`dockerImages.${image}`)),
      );
      testServices = Object.fromEntries(
        Object.entries(testServices).filter(([test]) => !stops(`test.${test}`)),
      );
      debs = debs.filter((d) => !stops(`debianPackages.${d}`));
      stoppedTools = new Set(Object.keys(toolFiles).filter((tool) => stops(`tools.${tool}`)));
      toolFiles = Object.fromEntries(
        Object.entries(toolFiles).filter(([tool]) => !stops(`tools.${tool}`)),
      );
      skippedTools = new Set(
        scriptTools()
          .map(([tool]) => tool)
          .filter((t) => stops(`tools.${t}`)),
      );
      const attrs = [
        ...groups().flatMap(({ attr, names }) => names.map((s) => `${attr}.perpServices.${s}`)),
        ...debs.map((d) => `debianPackages.${d}.control`),
        ...scriptTools()
          .filter(([tool]) => !skippedTools.has(tool))
          .map(([tool]) => `tools.${tool}`),
        ...Object.entries(toolFiles).flatMap(([tool, keys]) =>
          keys.map((k) => `tools.${tool}.files.${k}`),
        ),
      ];
      const result = run("nix-build", [
        "--no-out-link",
        join(root, "generated"),
        ...attrs.flatMap((a) => ["-A", a]),
        ...args,
      ]);
      expect(result.status, result.stderr).toBe(0);
      const outs = result.stdout.trim().split("\n");
      expect(outs).toHaveLength(attrs.length);
      attrs.forEach((a, i) => built.set(a, outs[i]!));
    });

    it("every service's rc.main, start script and the files it names", () => {
      const problems: string[] = [];
      const same = (what: string, file: string, actual: string) => {
        const problem = compare(what, relative(EXPECTED, file), normalise(actual));
        if (problem !== undefined) problems.push(problem);
      };
      for (const { at, attr, names } of groups()) {
        const image = at.slice(1).join("/");
        for (const service of names) {
          const dir = expected(...at, service);
          const out = built.get(`${attr}.perpServices.${service}`)!;
          const rcMain = read(join(out, "etc/perp", service, "rc.main"));
          same(`${image}/${service} rc.main`, join(dir, "rc.main"), rcMain);
          const checked = new Set(["rc.main"]);
          // A one-shot service's rc.main runs `oneshot-<service>`, which runs the start script.
          let scripts = rcMain;
          for (const kind of ["oneshot", "start"]) {
            const found = new RegExp(
              `(/nix/store/[a-z0-9]{32}-${kind}-[^/\\s]+)/bin/(${kind}-\\S+)`,
            ).exec(scripts);
            if (found === null) continue;
            const text = read(join(found[1]!, "bin", found[2]!));
            same(`${image}/${service} ${kind}`, join(dir, kind), text);
            checked.add(kind);
            scripts += text;
            if (kind !== "start") continue;
            for (const [name, path] of storeFilesIn(text)) {
              same(`${image}/${service} ${name}`, join(dir, name), read(path));
              checked.add(name);
            }
          }
          const extra = existsSync(dir) ? readdirSync(dir).filter((f) => !checked.has(f)) : [];
          if (extra.length > 0) problems.push(`${image}/${service}: unused expectations ${extra}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it("every Debian package's control file", () => {
      const problems = debs.flatMap((deb) => {
        const actual = read(built.get(`debianPackages.${deb}.control`)!);
        return compare(deb, `debianPackages/${deb}/control`, actual) ?? [];
      });
      expect(problems).toEqual([]);
    });

    it("every script tool's program", () => {
      const problems = scriptTools().flatMap(([tool, program]) => {
        if (skippedTools.has(tool)) return [];
        const actual = normalise(read(join(built.get(`tools.${tool}`)!, "bin", program)));
        return compare(tool, `tools/${tool}/${program}`, actual) ?? [];
      });
      expect(problems).toEqual([]);
    });

    it("every file of a Nix-file tool", () => {
      expect(Object.keys(toolFiles).sort()).toEqual(
        nixFileTools()
          .filter((t) => !stoppedTools.has(t))
          .sort(),
      );
      const problems = Object.entries(toolFiles).flatMap(([tool, keys]) => {
        const names = keys.map((k) => {
          const out = built.get(`tools.${tool}.files.${k}`)!;
          return [out.replace(/^\/nix\/store\/[a-z0-9]{32}-/, ""), out] as const;
        });
        const dir = expected("tools", tool);
        const extra = (existsSync(dir) ? readdirSync(dir) : [])
          .filter((f) => !names.some(([name]) => name === f))
          .map((f) => `${tool}: unused expectation ${f}`);
        return [
          ...extra,
          ...names.flatMap(([name, out]) => {
            return compare(tool, `tools/${tool}/${name}`, normalise(read(out))) ?? [];
          }),
        ];
      });
      expect(problems).toEqual([]);
    });

    it.runIf(profile === "nixpkgs-18.03")(
      "has no snapshot for an output that does not exist (update mode removes them)",
      () => {
        const all = existsSync(SNAPSHOTS)
          ? readdirSync(SNAPSHOTS, { recursive: true, encoding: "utf8" })
              .map((f) => join(SNAPSHOTS, f))
              .filter((f) => statSync(f).isFile())
          : [];
        const stale = all.filter((f) => !snapshotsUsed.has(f));
        if (UPDATE) for (const f of stale) rmSync(f);
        else expect(stale.map((f) => relative(REPO, f))).toEqual([]);
      },
    );

    // Under the current profile some outputs stop (the upgrade report); all exist under 18.03.
    it.runIf(profile !== "nixpkgs-current")(
      "has no expectation for an output that does not exist",
      () => {
        const images = Object.keys(services);
        const listed = (...at: string[]) =>
          existsSync(expected(...at)) ? readdirSync(expected(...at)) : [];
        const stale = [
          ...listed("test")
            .filter((t) => testServices[t] === undefined)
            .map((t) => `test/${t}`),
          ...Object.entries(testServices).flatMap(([t, imgs]) => [
            ...listed("test", t)
              .filter((i) => imgs[i] === undefined)
              .map((i) => `test/${t}/${i}`),
            ...Object.entries(imgs).flatMap(([i, names]) =>
              listed("test", t, i)
                .filter((s) => !names.includes(s))
                .map((s) => `test/${t}/${i}/${s}`),
            ),
          ]),
          ...(existsSync(expected("dockerImages")) ? readdirSync(expected("dockerImages")) : [])
            .filter((i) => !images.includes(i))
            .map((i) => `dockerImages/${i}`),
          ...images.flatMap((i) =>
            (existsSync(expected("dockerImages", i))
              ? readdirSync(expected("dockerImages", i))
              : []
            )
              .filter((s) => !services[i]!.includes(s))
              .map((s) => `dockerImages/${i}/${s}`),
          ),
          ...(existsSync(expected("debianPackages")) ? readdirSync(expected("debianPackages")) : [])
            .filter((d) => !debs.includes(d))
            .map((d) => `debianPackages/${d}`),
        ];
        expect(stale).toEqual([]);
      },
    );
  });
});
