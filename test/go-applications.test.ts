// The Go applications of the package set, evaluated with stock Nix on the generated tree and the
// offline harness: names, import paths, pinned sources, go2nix dependency lists, linker flags and
// outputs, against the facts of the original package set.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPackageSet, printNix } from "../generator/index.ts";
import type { Application, GoBuild } from "../generator/model.ts";
import { emitApplication } from "../templates/application.ts";
import {
  CONTRAIL_HARNESS,
  HARNESS_PROFILES,
  REPO,
  nixTestsEnabled,
  rootWith,
  run,
} from "./helpers.ts";

process.env.NIX_CONFIG = "substituters =\n";

const GENERATED = join(REPO, "generated");

/** `expr` evaluated (strictly, as JSON) with `set` (the package set), `pkgs` and `called`. */
function evaluate(profile: keyof typeof HARNESS_PROFILES, expr: string): unknown {
  const nixpkgs = HARNESS_PROFILES[profile];
  const program = `
    let
      set = import ${GENERATED} { nixpkgs = ${nixpkgs}; contrail = ${CONTRAIL_HARNESS}; };
      pkgs = import ${nixpkgs} { config = { }; };
      # The arguments a package file gives cwLib.buildGo, taken with a recording cwLib.
      called =
        attr:
        let
          f = import (${GENERATED} + "/\${attr}.nix");
          arg = name: if name == "cwLib" then { buildGo = args: args; } else set.\${name} or pkgs.\${name};
        in
        f (builtins.mapAttrs (name: _: arg name) (builtins.functionArgs f));
    in
    ${expr}`;
  const result = run("nix-instantiate", ["--eval", "--strict", "--json", "-E", program]);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

interface Dep {
  goPackagePath: string;
  fetch: { type: string; url: string; rev: string; sha256: string };
}

/** The go2nix entries a package passes as goDeps: how many, and the ones named. */
function goDeps(attr: string, paths: string[]): { count: number; entries: Dep[] } {
  return evaluate(
    "nixpkgs-18.03",
    `let deps = import (called "${attr}").goDeps; in {
      count = builtins.length deps;
      entries = builtins.filter (d: builtins.elem d.goPackagePath ${nixList(paths)}) deps;
    }`,
  ) as { count: number; entries: Dep[] };
}

const nixList = (values: string[]) => `[ ${values.map((v) => JSON.stringify(v)).join(" ")} ]`;

const dep = (goPackagePath: string, url: string, rev: string, sha256: string): Dep => ({
  goPackagePath,
  fetch: { type: "git", url, rev, sha256 },
});

/** Facts of a derivation built by buildGoPackage (18.03 profile). */
function goDerivation(attr: string): Record<string, unknown> {
  return evaluate(
    "nixpkgs-18.03",
    `let d = set.${attr}; in {
      inherit (d) name goPackagePath outputs;
      buildFlagsArray = d.buildFlagsArray or [ ];
      excludedPackages = d.excludedPackages or null;
      buildInputs = map (i: i.name) (d.buildInputs or [ ]);
      src = { inherit (d.src) rev harnessPin; url = d.src.url or null; };
      go = d.go.name;
    }`,
  ) as Record<string, unknown>;
}

/** A Go application descriptor with `static` lines under build.go (indented by 4). */
const staticApp = (staticLines: string[]) =>
  [
    "# yaml-language-server: $schema=../schemas/application.schema.json",
    "kind: application",
    "description: a static program",
    "pname: prog",
    "version: 1.0.0",
    "source:",
    "  github: { owner: o, repo: prog, rev: v1.0.0, sha256: 0b3lynw3ccr2csd8l326ymd3317a2b6ki5cql03zdzyf2phlj7v1 }",
    "build:",
    "  go:",
    "    packagePath: github.com/o/prog",
    "    buildInputs: ['${{ pkgs.libpcap }}']",
    "    ldflags: [-X main.version=1.0.0]",
    "    static:",
    ...staticLines.map((l) => `      ${l}`),
    "",
  ].join("\n");

describe("Go builds in the generator", () => {
  it("a static build appends its inputs and one -extldflags flag naming the archives", async () => {
    const root = rootWith({
      "packages/prog.yaml": staticApp([
        "buildInputs: ['${{ pkgs.glibc.static }}']",
        "libraries:",
        "  - ${{ pkgs.glibc.static }}/lib/libc.a",
        "  - ${{ pkgs.zlibStatic.static }}/lib/libz.a",
      ]),
    });
    const { set, diagnostics } = await loadPackageSet(root);
    expect(diagnostics).toEqual([]);
    const prog = set!.packages.find((p) => p.attrPath.join(".") === "prog") as Application;
    const text = printNix(emitApplication(prog).expr);
    expect(text).toContain("buildInputs = [\n      pkgs.libpcap\n      pkgs.glibc.static\n    ];");
    expect(text).toContain(
      'ldflags = [\n    "-X main.version=1.0.0"\n    "-extldflags \\"-static ${pkgs.glibc.static}/lib/libc.a ${pkgs.zlibStatic.static}/lib/libz.a\\""\n  ];',
    );
  });

  it("a static library must be an archive, and its references must resolve", async () => {
    const root = rootWith({
      "packages/prog.yaml": staticApp([
        "libraries:",
        "  - ${{ pkgs.glibc.static }}/lib/libc.so",
        "  - ${{ libxml2Statik }}/lib/libxml2.a",
      ]),
      "packages/libxml2Static.yaml": [
        "# yaml-language-server: $schema=../schemas/application.schema.json",
        "kind: application",
        "description: an archive",
        "pname: libxml2-static",
        "build: { stdenv: { phases: [installPhase], installPhase: mkdir $out } }",
        "",
      ].join("\n"),
    });
    // Both in one run: the schema error of one library does not hide the other's reference.
    const { diagnostics } = await loadPackageSet(root);
    expect(diagnostics.map((d) => [d.code, d.field, d.line])).toEqual([
      ["schema/pattern", "build.go.static.libraries[0]", 15],
      ["ref/unknown", "build.go.static.libraries[1]", 16],
    ]);
    const fixed = rootWith({
      "packages/prog.yaml": staticApp(["libraries: ['${{ libxml2Statik }}/lib/libxml2.a']"]),
    });
    const second = await loadPackageSet(fixed);
    expect(second.diagnostics.map((d) => [d.code, d.field])).toEqual([
      ["ref/unknown", "build.go.static.libraries[0]"],
    ]);
  });

  it("skydive and skydiveStatic share the fragment: same pins and dependencies", async () => {
    const { set } = await loadPackageSet(REPO);
    const app = (name: string) =>
      set!.packages.find((p) => p.attrPath.join(".") === name) as Application;
    const [dynamic, linkedStatically] = [app("skydive"), app("skydiveStatic")];
    const go = (a: Application) => a.build as GoBuild;
    expect(linkedStatically.src).toEqual(dynamic.src);
    expect(go(linkedStatically).deps).toEqual(go(dynamic).deps);
    expect(go(dynamic).deps).toHaveLength(152);
    expect(go(dynamic).static).toBeNull();
    expect(go(linkedStatically).static?.libraries).toHaveLength(5);
  });
});

describe.runIf(nixTestsEnabled())("Go applications through Nix", () => {
  it("vaulttmpfs: the flexvolume plugin from its fetchgit pin, with 15 dependencies", () => {
    const d = goDerivation("vaulttmpfs");
    expect(d.name).toBe("kubernetes-flexvolume-vault-plugin-2018-07-31");
    expect(d.goPackagePath).toBe("github.com/cloudwatt/kubernetes-flexvolume-vault-plugin");
    expect(d.outputs).toEqual(["bin", "out"]);
    expect(d.src).toEqual({
      url: "https://github.com/cloudwatt/kubernetes-flexvolume-vault-plugin.git",
      rev: "8eace64170b3ff1af8b13d54817087f28d935b34",
      harnessPin: "sha256:1jkccrhgq3ywx43lg3cf7w1s31pcsqli23zpn1bbayp6xfn1km62",
    });
    expect(goDeps("vaulttmpfs", ["github.com/Songmu/prompter", "golang.org/x/sys"])).toEqual({
      count: 15,
      entries: [
        dep(
          "github.com/Songmu/prompter",
          "https://github.com/Songmu/prompter",
          "b5721e8d556682bcef33262731d98a39dee14dc4",
          "0pqxxcr53zsg2vhgq3n407n0gcgl91n2mmcn228yqiw9mhhkii89",
        ),
        dep(
          "golang.org/x/sys",
          "https://go.googlesource.com/sys",
          "1e99a4f9d247b28c670884b9a8d6801f39a47b77",
          "1m1yma11j0ncx4fsihqcwvr30va2ll8ixajdc2if5y3n3k0iv29m",
        ),
      ],
    });
  });

  it("calicoCniPlugin: Go 1.10, outputs out, bin and plugins, its own build phase, 68 dependencies", () => {
    const d = goDerivation("calicoCniPlugin");
    expect(d.name).toBe("cni-plugin-3.1.3");
    expect(d.goPackagePath).toBe("github.com/projectcalico/cni-plugin");
    expect(d.outputs).toEqual(["out", "bin", "plugins"]);
    expect(d.go).toMatch(/^go-1\.10/);
    expect(d.src).toEqual({
      url: "https://github.com/projectcalico/cni-plugin.git",
      rev: "c6d733d40c9306e40a61c0a80a9bfecbf05861d5",
      harnessPin: "sha256:0kdp8kcycqs2k0fb06j4mscwii2mgrnhnwkz7ss6b094gyj9fv8q",
    });
    const phases = evaluate(
      "nixpkgs-18.03",
      `{ inherit (set.calicoCniPlugin) buildPhase postInstall; version = (called "calicoCniPlugin").goVersion; }`,
    ) as { buildPhase: string; postInstall: string; version: string };
    expect(phases.version).toBe("1.10");
    expect(phases.buildPhase).toContain(
      "rm -rf $NIX_BUILD_TOP/go/src/github.com/containernetworking/plugins/vendor/",
    );
    expect(phases.buildPhase).toContain(
      "go build -v -i -o $NIX_BUILD_TOP/go/bin/calico calico.go\n",
    );
    expect(phases.buildPhase).toContain(
      "go build -v -i -o $NIX_BUILD_TOP/go/bin/calico-ipam ipam/calico-ipam.go\n",
    );
    expect(phases.postInstall).toBe("mkdir -p $plugins\ncp $bin/bin/* $plugins/\n");
    const deps = goDeps("calicoCniPlugin", [
      "cloud.google.com/go",
      "github.com/containernetworking/plugins",
      "k8s.io/kube-openapi",
    ]);
    expect(deps.count).toBe(68);
    expect(deps.entries).toEqual([
      dep(
        "cloud.google.com/go",
        "https://code.googlesource.com/gocloud",
        "3b1ae45394a234c385be014e9a488f2bb6eef821",
        "0alb495ql6s02kb6lxcbnlkdcmhixyl8zv11sgrkhsk1bckzh119",
      ),
      dep(
        "github.com/containernetworking/plugins",
        "https://github.com/containernetworking/plugins",
        "7480240de9749f9a0a5c8614b17f1f03e0c06ab9",
        "0lb61j8h5fbi45dlc77y855warc323dybb12ncw0npaq0i34l5ay",
      ),
      dep(
        "k8s.io/kube-openapi",
        "https://github.com/kubernetes/kube-openapi",
        "0c329704159e3b051aafac400b15baacf2a94a04",
        "01mizydrknrf6w787dib0dl60jlh1axzxnlf7ihrga5vwc56zp03",
      ),
    ]);
  });

  it("cni_0_3_0: a stdenv build with go, outputs out and plugins, and its meta", () => {
    const d = evaluate(
      "nixpkgs-18.03",
      `let d = set.cni_0_3_0; in {
        inherit (d) name outputs installPhase;
        buildInputs = map (i: i.name) d.buildInputs;
        src = { inherit (d.src) rev harnessPin; };
        meta = { inherit (d.meta) description homepage platforms; license = d.meta.license.shortName; };
      }`,
    );
    expect(d).toEqual({
      name: "cni-0.3.0",
      outputs: ["out", "plugins"],
      installPhase: "mkdir -p $out/bin $plugins\nmv bin/cnitool $out/bin/\nmv bin/* $plugins/\n",
      buildInputs: ["go-1.10"],
      src: {
        rev: "v0.3.0",
        harnessPin: "sha256:1nvixvf5slnsdrfpfs2km64x680wf83jbyp7il12bcim37q2az7m",
      },
      meta: {
        description: "Container Network Interface - networking for Linux containers",
        homepage: "https://github.com/containernetworking/cni",
        platforms: ["x86_64-linux"],
        license: "asl20",
      },
    });
  });

  it("consulTemplateMock and kube2consul: names, import paths, linker flags, meta", () => {
    const mock = goDerivation("consulTemplateMock");
    expect(mock.name).toBe("consul-template-mock-2018-08-07");
    expect(mock.goPackagePath).toBe("github.com/nlewo/consul-template-mock");
    expect(mock.buildFlagsArray).toEqual([]);
    const k2c = goDerivation("kube2consul");
    expect(k2c.name).toBe("kube2consul-2.1.3");
    expect(k2c.goPackagePath).toBe("github.com/cloudwatt/kube2consul");
    expect(k2c.buildFlagsArray).toEqual(["-ldflags=-X main.kube2consulVersion=v2.1.3"]);
    const meta = evaluate(
      "nixpkgs-18.03",
      `map (d: { inherit (d.meta) description homepage; license = d.meta.license.shortName; })
        [ set.consulTemplateMock set.kube2consul ]`,
    );
    expect(meta).toEqual([
      {
        description: "Render consul-template templates without Consul",
        homepage: "https://github.com/nlewo/consul-template-mock",
        license: "gpl3",
      },
      {
        description: "Push kubernetes services into Consul",
        homepage: "https://github.com/cloudwatt/kube2consul",
        license: "gpl3",
      },
    ]);
  });

  it("calicoKubeControllers: vendor directories removed before the build, 65 dependencies", () => {
    const d = goDerivation("calicoKubeControllers");
    expect(d.name).toBe("calico-kube-controllers-3.1.3");
    expect(d.goPackagePath).toBe("github.com/projectcalico/kube-controllers");
    expect(d.buildFlagsArray).toEqual(["-ldflags=-X main.VERSION=v3.1.3"]);
    const preBuild = evaluate("nixpkgs-18.03", "set.calicoKubeControllers.preBuild") as string;
    expect(preBuild).toMatch(/^find go\/src -name vendor .*rm -rf/);
    const deps = goDeps("calicoKubeControllers", [
      "github.com/projectcalico/libcalico-go",
      "k8s.io/kube-openapi",
    ]);
    expect(deps).toEqual({
      count: 65,
      entries: [
        dep(
          "github.com/projectcalico/libcalico-go",
          "https://github.com/projectcalico/libcalico-go",
          "0417ab6e1ea49be2abb978df365b25f20fdb3c6f",
          "1ifcmk9cwzkbsrka4izbafhgjwyss55kpj1aqyg8ypw9bn5wykrs",
        ),
        dep(
          "k8s.io/kube-openapi",
          "https://github.com/kubernetes/kube-openapi",
          "61b46af70dfed79c6d24530cd23b41440a7f22a5",
          "09g2qv39m3lq694234yfxspwsx1jpmjv8qc519b57fqdaq8c8857",
        ),
      ],
    });
  });

  it("skydive: hooks, excluded packages, build inputs, linker flags, 152 dependencies", () => {
    const d = goDerivation("skydive");
    expect(d.name).toBe("skydive-0.18.0");
    expect(d.goPackagePath).toBe("github.com/skydive-project/skydive");
    expect(d.excludedPackages).toBe("contrib/snort");
    expect(d.buildFlagsArray).toEqual([
      "-ldflags=-X github.com/skydive-project/skydive/version.Version=0.18.0",
    ]);
    expect((d.buildInputs as string[]).map((n) => n.replace(/-\d.*$/, ""))).toEqual([
      "perl",
      "go-bindata",
      "go-protobuf",
      "protobuf",
      "libpcap",
      "pkg-config",
      "libxml2",
    ]);
    const hooks = evaluate(
      "nixpkgs-18.03",
      `{ inherit (set.skydive) prePatch preBuild preInstall; }`,
    ) as Record<string, string>;
    expect(hooks.preBuild).toBe(
      "make -C go/src/github.com/skydive-project/skydive genlocalfiles VERSION=0.18.0\n",
    );
    expect(hooks.prePatch).toContain(".proto: builddep");
    expect(hooks.prePatch).toContain(".bindata: builddep");
    expect(hooks.preInstall).toContain("etc/skydive.yml.default $out/share/skydive/");
    const deps = goDeps("skydive", ["github.com/google/gopacket", "k8s.io/kube-openapi"]);
    expect(deps).toEqual({
      count: 152,
      entries: [
        dep(
          "github.com/google/gopacket",
          "https://github.com/google/gopacket",
          "67a21c4470a0598531a769727aef40b870ffa128",
          "1clxrcabrdrkrgwbal852w3cynvzdwbpl4gc0f5yyzncmaazxmhq",
        ),
        dep(
          "k8s.io/kube-openapi",
          "https://github.com/kubernetes/kube-openapi",
          "39a7bf85c140f972372c2a0d1ee40adbf0c8bfe1",
          "08b5yx07saj5vzzic50hlzw68p2fd7xc118x1liq4wqrikxmv8wa",
        ),
      ],
    });
  });

  it("skydiveStatic: skydive linked statically against glibc, libxml2 and zlib archives", () => {
    const d = goDerivation("skydiveStatic");
    expect(d.name).toBe("skydive-0.18.0");
    const flags = d.buildFlagsArray as string[];
    expect(flags).toHaveLength(1);
    const normalised = flags[0]!.replace(/\/nix\/store\/[a-z0-9]{32}-/g, "<store>/");
    expect(normalised).toBe(
      "-ldflags=-X github.com/skydive-project/skydive/version.Version=0.18.0" +
        ' -extldflags "-static <store>/glibc-2.26-131-static/lib/libc.a' +
        " <store>/glibc-2.26-131-static/lib/libpthread.a <store>/glibc-2.26-131-static/lib/libm.a" +
        ' <store>/libxml2-static/lib/libxml2.a <store>/zlib-1.2.11-static/lib/libz.a"',
    );
    expect((d.buildInputs as string[]).slice(-2)).toEqual([
      "glibc-2.26-131-static",
      "libxml2-static",
    ]);
    const same = evaluate(
      "nixpkgs-18.03",
      `{
        deps = builtins.length (import (called "skydiveStatic").goDeps);
        description = set.skydiveStatic.meta.description;
      }`,
    );
    expect(same).toEqual({ deps: 152, description: "A real-time network analyzer" });
  });

  it("current nixpkgs: the same names and pins through buildGoModule", () => {
    const d = evaluate(
      "nixpkgs-current",
      `map (a: { inherit (set.\${a}) name; rev = set.\${a}.src.rev; })
        [ "vaulttmpfs" "calicoCniPlugin" "kube2consul" "calicoKubeControllers" "skydive" "skydiveStatic" "consulTemplateMock" ]`,
    );
    expect(d).toEqual([
      {
        name: "kubernetes-flexvolume-vault-plugin-2018-07-31",
        rev: "8eace64170b3ff1af8b13d54817087f28d935b34",
      },
      { name: "cni-plugin-3.1.3", rev: "c6d733d40c9306e40a61c0a80a9bfecbf05861d5" },
      { name: "kube2consul-2.1.3", rev: "v2.1.3" },
      { name: "calico-kube-controllers-3.1.3", rev: "v3.1.3" },
      { name: "skydive-0.18.0", rev: "v0.18.0" },
      { name: "skydive-0.18.0", rev: "v0.18.0" },
      { name: "consul-template-mock-2018-08-07", rev: "45cddaa2cda9fa761df4425991e2b8955e6fc161" },
    ]);
  });
});
