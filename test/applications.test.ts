// The Ruby and Python applications (applications-and-tools.md §1.3-§1.5, §1.16 and
// pinned-dependencies.md §1, §3): what the generator writes for a bundler build (Gemfile,
// Gemfile.lock, gemset, gem settings), the Python closure's packages and propagation, and the
// fluentdCw wrapper and plugin, built with the offline harness under both nixpkgs profiles.

import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPackageSet } from "../generator/index.ts";
import type { Application, BundlerBuild, Tool } from "../generator/model.ts";
import { parseGemfile } from "../generator/resolve/index.ts";
import { gemfileLock } from "../templates/application.ts";
import {
  CONTRAIL_HARNESS,
  HARNESS_PROFILES,
  REPO,
  currentStops,
  nixEval,
  nixTestsEnabled,
  normalise,
  packageSetExpr,
  rootWith,
  run,
  tempDir,
} from "./helpers.ts";

/** What the upgrade report says stops under a current nixpkgs. */
const STOPS = await currentStops(REPO);

const GENERATED = join(REPO, "generated");
const EXPECTED = join(REPO, "test/expected");

function ok(result: { status: number; stdout: string; stderr: string }): string {
  if (result.status !== 0) throw new Error(result.stderr || result.stdout);
  return result.stdout;
}

const GEMFILE = `source "https://rubygems.org"

gem 'fluentd', '~> 0.14'
gem 'fluent-plugin-prometheus'
gem 'fluent-plugin-rewrite-tag-filter'
gem 'fluent-plugin-concat'
gem 'fluent-plugin-named_pipe'
gem 'fluent-plugin-detect-exceptions'
gem 'fluent-plugin-multi-format-parser'
`;

/** The lock of the reference's gem list: every gem with the names of its dependencies. */
const GEMFILE_LOCK = `GEM
  remote: https://rubygems.org/
  specs:
    cool.io (1.5.3)
    fluent-plugin-concat (2.2.0)
      fluentd
    fluent-plugin-detect-exceptions (0.0.9)
      fluentd
    fluent-plugin-multi-format-parser (1.0.0)
      fluentd
    fluent-plugin-named_pipe (0.2.0)
      fluentd
      mkfifo
    fluent-plugin-prometheus (1.0.1)
      fluentd
      prometheus-client
    fluent-plugin-rewrite-tag-filter (2.0.2)
      fluentd
    fluentd (0.14.25)
      cool.io
      http_parser.rb
      msgpack
      ruby_dig
      serverengine
      sigdump
      strptime
      tzinfo
      tzinfo-data
      yajl-ruby
    http_parser.rb (0.6.0)
    mkfifo (0.1.1)
    msgpack (1.2.4)
    prometheus-client (0.7.1)
      quantile
    quantile (0.2.0)
    ruby_dig (0.0.2)
    serverengine (2.0.6)
      sigdump
    sigdump (0.2.4)
    strptime (0.1.9)
    thread_safe (0.3.6)
    tzinfo (1.2.5)
      thread_safe
    tzinfo-data (1.2018.3)
      tzinfo
    yajl-ruby (1.3.1)

PLATFORMS
  ruby

DEPENDENCIES
  fluent-plugin-concat
  fluent-plugin-detect-exceptions
  fluent-plugin-multi-format-parser
  fluent-plugin-named_pipe
  fluent-plugin-prometheus
  fluent-plugin-rewrite-tag-filter
  fluentd (~> 0.14)
`;

/** pinned-dependencies.md §1: gem -> [version, sha256, dependencies]. */
const GEMS: Record<string, [string, string, string[]]> = {
  "cool.io": ["1.5.3", "03wwgs427nmic6aa365d7kyfbljpb1ra6syywffxfmz9382xswcp", []],
  "fluent-plugin-concat": [
    "2.2.0",
    "0kk8r6ii72hyhy56jg02afkxs89blsj4yfjz9yy142ia4hylgkx0",
    ["fluentd"],
  ],
  "fluent-plugin-detect-exceptions": [
    "0.0.9",
    "1sxg76vphyxi2jkmjaxnsvvh9bm5c1va4781631k3hxrnn2s0mag",
    ["fluentd"],
  ],
  "fluent-plugin-multi-format-parser": [
    "1.0.0",
    "15xawrl6cc69arcsajd5f0l5flhyhnx2w91cd051y8hvhggy9kcs",
    ["fluentd"],
  ],
  "fluent-plugin-named_pipe": [
    "0.2.0",
    "0kijxwlaqnhraxjwx7q81vdgl1gm6j4wrlxr3n79lcdl7d3hkwxj",
    ["fluentd", "mkfifo"],
  ],
  "fluent-plugin-prometheus": [
    "1.0.1",
    "10pm2dmh35px4dd434lknb7db438gg8hslzzjkzz8z0ag70h9pha",
    ["fluentd", "prometheus-client"],
  ],
  "fluent-plugin-rewrite-tag-filter": [
    "2.0.2",
    "1qdarb1anbdl6f3r52x4z2g998n41334hhd5bx3njn1lnmp5rgwy",
    ["fluentd"],
  ],
  fluentd: [
    "0.14.25",
    "1wkab48zahbdhnp6gwagszhyx15yabnvv1b9kzv7h2v7bdxmfmh7",
    [
      "cool.io",
      "http_parser.rb",
      "msgpack",
      "ruby_dig",
      "serverengine",
      "sigdump",
      "strptime",
      "tzinfo",
      "tzinfo-data",
      "yajl-ruby",
    ],
  ],
  "http_parser.rb": ["0.6.0", "15nidriy0v5yqfjsgsra51wmknxci2n2grliz78sf9pga3n0l7gi", []],
  mkfifo: ["0.1.1", "0s81d7vc12cdq0pkxg7gf4spxn23lzw1pmhlqgx1xd9c59i1n0k5", []],
  msgpack: ["1.2.4", "09xy1wc4wfbd1jdrzgxwmqjzfdfxbz0cqdszq2gv6rmc3gv1c864", []],
  "prometheus-client": [
    "0.7.1",
    "0s5acyq7mzd8dp80azfxx5z5z3iipw8493xkxqafb5w2r1g30625",
    ["quantile"],
  ],
  quantile: ["0.2.0", "0fapsaq5hz8b7rbnmz5n31nzv5vqajwsb24lhjx664rx6l6mc4ml", []],
  ruby_dig: ["0.0.2", "1qcpmf5dsmzxda21wi4hv7rcjjq4x1vsmjj20zpbj5qg2k26hmp9", []],
  serverengine: ["2.0.6", "0jkn32ly86p9g5xw87v7209q55sl2529q80kc70q2vvbrhlk4gww", ["sigdump"]],
  sigdump: ["0.2.4", "1mqf06iw7rymv54y7rgbmfi6ppddgjjmxzi3hrw658n1amp1gwhb", []],
  strptime: ["0.1.9", "1avbl1fj4y5qx9ywkxpcjjxxpjj6h7r1dqlnddhk5wqg6ypq8lsb", []],
  thread_safe: ["0.3.6", "0nmhcgq6cgz44srylra07bmaw99f5271l0dpsvl5f75m44l0gmwy", []],
  tzinfo: ["1.2.5", "1fjx9j327xpkkdlxwmkl3a8wqj7i4l4jwlrv3z13mg95z9wl253z", ["thread_safe"]],
  "tzinfo-data": ["1.2018.3", "0iqz29aavkgbysx4d3lb5358qviirwj8m7ygzj2ka5lr099gwawr", ["tzinfo"]],
  "yajl-ruby": ["1.3.1", "1rn4kc9fha990yd252wglh6rcyh35cavm1vpyfj8krlcwph09g30", []],
};

/** The gems whose native extensions are stripped (applications-and-tools.md §1.4). */
const STRIPPED = ["cool.io", "http_parser.rb", "mkfifo", "msgpack", "strptime", "yajl-ruby"];

async function application(attr: string): Promise<Application> {
  const { set } = await loadPackageSet(REPO);
  return set!.packages.find((p) => p.attrPath.join(".") === attr) as Application;
}

describe("the Gemfile and its lock", () => {
  it("reads the gem lines of a Gemfile with their requirements", () => {
    expect(parseGemfile(GEMFILE)).toEqual([
      { name: "fluentd", requirements: ["~> 0.14"] },
      { name: "fluent-plugin-prometheus", requirements: [] },
      { name: "fluent-plugin-rewrite-tag-filter", requirements: [] },
      { name: "fluent-plugin-concat", requirements: [] },
      { name: "fluent-plugin-named_pipe", requirements: [] },
      { name: "fluent-plugin-detect-exceptions", requirements: [] },
      { name: "fluent-plugin-multi-format-parser", requirements: [] },
    ]);
    expect(parseGemfile(`gem "rails", ">= 5", "< 6", require: false\n  gem('pg')\n`)).toEqual([
      { name: "rails", requirements: [">= 5", "< 6"] },
      { name: "pg", requirements: [] },
    ]);
  });

  it("fluentd's lock lists every pinned gem and the Gemfile's dependencies", async () => {
    const fluentd = await application("fluentd");
    expect(fluentd.build.builder).toBe("bundler");
    expect(gemfileLock(fluentd.build as BundlerBuild)).toBe(GEMFILE_LOCK);
  });

  it("a Gemfile gem or a pname missing from the gem list is an error", async () => {
    const root = rootWith({
      "packages/app.yaml": [
        "# yaml-language-server: $schema=../schemas/application.schema.json",
        "kind: application",
        "description: an app",
        "pname: fluentd",
        "build:",
        "  bundler:",
        "    gemfile: |",
        "      source 'https://rubygems.org'",
        "      gem 'fluentd'",
        "      gem 'fluent-plugin-concat'",
        "    gems:",
        "      - name: fluent-plugin-concat",
        "        version: 2.2.0",
        "        sha256: 0kk8r6ii72hyhy56jg02afkxs89blsj4yfjz9yy142ia4hylgkx0",
        "",
      ].join("\n"),
    });
    const { diagnostics } = await loadPackageSet(root);
    expect(diagnostics.map((d) => [d.code, d.field, d.line])).toEqual([
      ["dependency/unknown", "pname", 4],
      ["dependency/unknown", "build.bundler.gemfile", 7],
    ]);
  });
});

describe.runIf(nixTestsEnabled())("Ruby and Python applications with stock Nix", () => {
  describe.each(Object.entries(HARNESS_PROFILES))("with the %s harness", (profile, harness) => {
    // What stops under a current nixpkgs is checked to stop (test/upgrade-report.test.ts).
    const stops = (attribute: string) => profile === "nixpkgs-current" && STOPS.has(attribute);
    const harnessArgs = ["--arg", "nixpkgs", harness, "--arg", "contrail", CONTRAIL_HARNESS];
    const evalJson = (attr: string): unknown => nixEval([GENERATED, "-A", attr, ...harnessArgs]);
    const tree = packageSetExpr(harness);
    const evalExpr = (expr: string): unknown => nixEval(["-E", expr]);
    /** A package file called with the harness, whose bundlerEnv returns its own arguments. */
    const captured = (file: string, expr: string): unknown => {
      const dir = tempDir("nixgen-apps-");
      const path = join(dir, "captured.nix");
      writeFileSync(
        path,
        `let
          pkgs = import ${harness} {
            overlays = [ (self: super: { bundlerEnv = args: args; }) ];
          };
          cwLib = import ${GENERATED}/lib { inherit pkgs; };
          result = pkgs.callPackage ${GENERATED}/${file} { inherit cwLib pkgs; };
        in ${expr}`,
      );
      return JSON.parse(ok(run("nix-instantiate", ["--eval", "--strict", "--json", path])));
    };

    it.skipIf(stops("fluentdCw"))(
      "the fluentdCw wrapper execs fluentd with the plugin directory",
      () => {
        const out = ok(
          run("nix-build", ["--no-out-link", GENERATED, "-A", "fluentdCw", ...harnessArgs]),
        ).trim();
        expect(out).toMatch(/-fluentd$/);
        const script = readFileSync(join(out, "bin/fluentd"), "utf8");
        expect(normalise(script)).toBe(
          readFileSync(join(EXPECTED, "tools/fluentdCw/fluentd"), "utf8"),
        );
        const plugins = script.match(/ -p (\S+) /)![1]!;
        expect(readdirSync(plugins)).toEqual(["filter_generic_metadata.rb"]);
        const plugin = readFileSync(join(plugins, "filter_generic_metadata.rb"), "utf8");
        expect(plugin).toMatch(/^module Cloudwatt$/m);
        expect(plugin).toMatch(/class GenericMetadataFilter < Fluent::Filter/);
        expect(plugin).toMatch(/Fluent::Plugin\.register_filter\('generic_metadata', self\)/);
        expect(plugin).toMatch(/log\.warn 'failed to parse record'/);
        expect(plugin).toContain("/run/secrets/kubernetes.io/serviceaccount/namespace");
      },
    );

    it.skipIf(stops("fluentdCw"))(
      "the plugin file is the descriptor's text, verbatim",
      async () => {
        const { set } = await loadPackageSet(REPO);
        const tool = set!.packages.find((p) => p.attrPath.join(".") === "fluentdCw") as Tool;
        if (tool.tool.type !== "script") throw new Error("fluentdCw is a script tool");
        const text = tool.tool.files.find((f) => f.path === "filter_generic_metadata.rb")!.text;
        const built = ok(run("nix-build", ["--no-out-link", "-E", `(${tree}).fluentdCw`])).trim();
        const script = readFileSync(join(built, "bin/fluentd"), "utf8");
        const plugins = script.match(/ -p (\S+) /)![1]!;
        expect(readFileSync(join(plugins, "filter_generic_metadata.rb"), "utf8")).toBe(
          text.join(""),
        );
      },
    );

    it("fluentd is the bundler environment fluentd-0.14.25 with the pinned gemset", () => {
      expect(evalJson("fluentd.name")).toBe("fluentd-0.14.25");
      const gems = evalJson("fluentd.gems") as Record<
        string,
        { version: string; dependencies?: string[]; source: Record<string, unknown> }
      >;
      expect(Object.keys(gems).sort()).toEqual(Object.keys(GEMS).sort());
      for (const [name, [version, sha256, deps]] of Object.entries(GEMS)) {
        expect(gems[name]!.version).toBe(version);
        expect(gems[name]!.dependencies ?? []).toEqual(deps);
        expect(gems[name]!.source).toEqual({
          remotes: ["https://rubygems.org"],
          sha256,
          type: "gem",
        });
      }
      expect(evalJson("fluentd.meta")).toMatchObject({
        description: "A data collector",
        homepage: "https://www.fluentd.org/",
        license: { shortName: "asl20" },
      });
    });

    it.skipIf(stops("fluentd"))(
      "fluentd's bundlerEnv gets its Gemfile, lock, pname and stripped native gems",
      () => {
        const args = captured(
          "fluentd.nix",
          `{
          inherit (result) pname;
          gemfile = result.gemfile.text;
          lockfile = result.lockfile.text;
          ruby = result.ruby.name;
          configured = builtins.attrNames result.gemConfig;
          stripped = builtins.filter (g: (result.gemConfig.\${g} { }).dontStrip or true == false)
            (builtins.attrNames result.gemConfig);
          msgpackInputs = map (d: d.name) (result.gemConfig.msgpack { }).buildInputs;
        }`,
        ) as Record<string, unknown>;
        expect(args.pname).toBe("fluentd");
        expect(args.gemfile).toBe(GEMFILE);
        expect(args.lockfile).toBe(GEMFILE_LOCK);
        expect(args.ruby).toMatch(/^ruby-/);
        // nixpkgs' default settings stay (the harness's defaultGemConfig has nokogiri).
        expect(args.configured).toContain("nokogiri");
        expect(args.stripped).toEqual(STRIPPED);
        expect((args.msgpackInputs as string[])[0]).toMatch(/^libmsgpack-/);
      },
    );

    it("a bundle with `exes` keeps only those executables", () => {
      const dir = tempDir("nixgen-apps-");
      writeFileSync(
        join(dir, "gemset.nix"),
        `{ rake = { version = "12.3.1"; source = { remotes = [ "https://rubygems.org" ]; sha256 = "1idi6xf2r40kn6ayvz5jm6fh5jzj4hpjk6vaj5a3yb3l2r6c6ys0"; type = "gem"; }; }; }`,
      );
      const out = ok(
        run("nix-build", [
          "--no-out-link",
          "-E",
          `let pkgs = import ${harness} { }; cwLib = import ${GENERATED}/lib { inherit pkgs; }; in
          cwLib.bundlerEnv {
            pname = "rake"; ruby = pkgs.ruby; gemset = ${dir}/gemset.nix; exes = [ "rake" ];
            gemfile = "source 'https://rubygems.org'\ngem 'rake'\n"; lockfile = "";
          }`,
        ]),
      ).trim();
      expect(out).toMatch(/-rake-12\.3\.1$/);
      expect(readdirSync(join(out, "bin"))).toEqual(["rake"]);
      expect(readFileSync(join(out, "bin/rake"), "utf8")).toMatch(/rake/);
    });

    it.skipIf(stops("openstackClient"))(
      "openstackClient is python-openstackclient 3.15.0 on python27Full, with its closure",
      () => {
        expect(evalJson("openstackClient.name")).toBe("python2.7-python-openstackclient-3.15.0");
        const closure = evalExpr(
          `builtins.mapAttrs (n: p: {
          inherit (p) name doCheck;
          propagates = map (d: d.name) p.propagatedBuildInputs;
          inputs = map (d: d.name) p.buildInputs;
        }) (${tree}).openstackClient.pythonPackages`,
        ) as Record<
          string,
          { name: string; doCheck: boolean; propagates: string[]; inputs: string[] }
        >;
        // 65 packages of requirements.nix and the local vcversioner.
        expect(Object.keys(closure)).toHaveLength(66);
        const named = (...names: string[]) =>
          names.map((n) =>
            expect.stringMatching(new RegExp(`^python2\\.7-${n.replace(".", "\\.")}-`)),
          );
        expect(closure["python-openstackclient"]!.propagates).toEqual(
          named(
            "Babel",
            "cliff",
            "keystoneauth1",
            "openstacksdk",
            "osc-lib",
            "oslo.i18n",
            "oslo.utils",
            "pbr",
            "python-cinderclient",
            "python-glanceclient",
            "python-keystoneclient",
            "python-novaclient",
            "six",
          ),
        );
        expect(closure.jsonschema!.propagates).toEqual(named("functools32", "vcversioner"));
        expect(closure.requestsexceptions!.propagates).toEqual(named("pbr"));
        expect(closure.vcversioner!.name).toBe("python2.7-vcversioner-2.16.0.0");
        expect(closure.functools32!.name).toBe("python2.7-functools32-3.2.3.post2");
        expect(closure["dogpile.cache"]!.name).toBe("python2.7-dogpile.cache-0.6.5");
        expect(closure.pbr!.propagates).toEqual([]);
        for (const p of Object.values(closure)) {
          expect(p.doCheck).toBe(false);
          expect(p.inputs).toEqual([
            expect.stringMatching(/^which-/),
            expect.stringMatching(/^libffi-/),
            expect.stringMatching(/^openssl-.*-dev$/),
          ]);
        }
      },
    );

    it("pileus, perp and waitFor build as in the original", () => {
      const facts = evalExpr(
        `let set = ${tree}; in {
          pileus = { inherit (set.pileus) name phases buildPhase installPhase; };
          perp = { inherit (set.perp) name preConfigure; };
          waitFor = { inherit (set.waitFor) name installPhase; };
        }`,
      ) as Record<string, Record<string, unknown>>;
      expect(facts.pileus!.name).toBe("pileus");
      expect(facts.pileus!.phases).toEqual(["buildPhase", "installPhase", "fixupPhase"]);
      expect(facts.pileus!.buildPhase).toMatch(
        /^export GEM_HOME=.*\ngem install -N --no-ri -s http:\/\/gems\.corp\.cloudwatt\.com pileus$/m,
      );
      expect(facts.pileus!.installPhase).toMatch(/find bin -mindepth 1 ! -name pileus -delete/);
      expect(facts.pileus!.installPhase).toMatch(
        /wrapProgram \$out\/bin\/pileus --set GEM_HOME \$out/,
      );
      expect(facts.perp!.name).toBe("perp");
      expect(facts.perp!.preConfigure).toBe(
        'substituteInPlace conf.mk --replace " /usr/" " $out/usr/"',
      );
      expect(facts.waitFor!.name).toBe("wait-for");
      expect(normalise(facts.waitFor!.installPhase as string)).toBe(
        "install -D -m 755 wait-for $out/bin/wait-for\n" +
          "wrapProgram $out/bin/wait-for --argv0 wait-for --set PATH <store>/libressl/bin:<store>/coreutils/bin\n",
      );
    });
  });
});
