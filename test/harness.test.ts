// The offline nixpkgs stand-ins (test/nix/nixpkgs-18.03, test/nix/nixpkgs-current) and the
// nixpkgs-contrail stand-in: the facts of each nixpkgs era that the generated package set relies
// on, checked with stock Nix. Most facts come from one evaluation per profile; errors that Nix
// cannot catch (unexpected arguments, functionArgs on a functor) need one evaluation each.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CONTRAIL_HARNESS, HARNESS_PROFILES, nixTestsEnabled, run } from "./helpers.ts";

// No binary cache is reachable offline: do not let nix-build try one.
const OFFLINE = ["--option", "substituters", ""];
const SHA256 = "1s1i98xwk8a0krvpwif0s3hgg8n77j58p8836864sf2yjdl13c0d";
const SRI = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
const DIGEST = "sha256:5d8e5a9a3e2a9c0ef6e6c7c1e0b0f5f3a3c4a8c1a4d9d1b6e0c2b3a4f5e6d7c8";

type Profile = keyof typeof HARNESS_PROFILES;
const PROFILES = Object.keys(HARNESS_PROFILES) as Profile[];

/** Nix shared by the evaluations: `pkgs` of the profile, and the detector of formal arguments. */
function prelude(profile: Profile): string {
  return `
    pkgs = import ${HARNESS_PROFILES[profile]} { config = { }; };
    inherit (pkgs) lib dockerTools;
    # Formal arguments, looking through __functionArgs and __functor.
    argsOf = f:
      if builtins.isFunction f then builtins.functionArgs f
      else if f ? __functionArgs then f.__functionArgs
      else if f ? __functor then argsOf (f.__functor f)
      else { };
    instantiates = drv: (builtins.tryEval drv.drvPath).success;
    hello = pkgs.writeText "hello" "hi";
    # The contrail set with the 3.2 version and another controller source.
    contrail =
      let
        open = import ${CONTRAIL_HARNESS}/all-packages.nix { inherit pkgs; nixpkgs = pkgs.path; };
        layer = self: super: {
          sources = super.sources // {
            controller = pkgs.fetchFromGitHub {
              owner = "cloudwatt";
              repo = "contrail-controller";
              rev = "300f8d6a9524d326f674e7fe8f6fbc9c9b645495";
              sha256 = "183j4qm8qz532c8jpr25hzhgaki7wjn46cc4d04009mk3r6zfys8";
            };
          };
          contrailVersion = self.contrail32;
        };
      in lib.fix (lib.extends layer open);
  `;
}

function factsExpr(profile: Profile): string {
  return `let ${prelude(profile)}
    image = dockerTools.buildImage { name = "registry.example.com/Team/App"; };
    tagged = dockerTools.buildImage { name = "app"; tag = "V1"; };
    pull = dockerTools.pullImage;
    pullArgs = argsOf pull;
    go = builtins.tryEval (pkgs.buildGoPackage or null);
    testing =
      if builtins.pathExists (pkgs.path + "/nixos/lib/testing-python.nix") then
        import (pkgs.path + "/nixos/lib/testing-python.nix") { inherit (pkgs) system; }
      else
        import (pkgs.path + "/nixos/lib/testing.nix") { inherit (pkgs) system; };
    vmTest = testing.makeTest { name = "smoke"; nodes.machine = { }; testScript = ""; };
    # Ubuntu 16.04 is gone from a current nixpkgs (nixpkgs/facts.json); 14.04 is in both stand-ins.
    disk =
      if pkgs.vmTools.diskImageFuns ? ubuntu1604x86_64 then
        pkgs.vmTools.diskImageFuns.ubuntu1604x86_64 { extraDebs = [ hello ]; }
      else
        pkgs.vmTools.diskImageFuns.ubuntu1404x86_64 { extraDebs = [ hello ]; };
    callPackaged = pkgs.callPackage ({ stdenv }: { a, b ? 1 }: a) { };
  in {
    buildImage = {
      inherit (image) name imageName;
      tagIsOutputHash = image.imageTag == builtins.substring 0 32 (baseNameOf (builtins.unsafeDiscardStringContext image.outPath));
      imageTag = if image.imageTag == builtins.substring 0 32 (baseNameOf (builtins.unsafeDiscardStringContext image.outPath)) then "<output hash>" else image.imageTag;
      taggedTag = tagged.imageTag;
      isFunction = builtins.isFunction dockerTools.buildImage;
      hasFunctionArgs = dockerTools.buildImage ? __functionArgs;
      takesContents = (argsOf dockerTools.buildImage) ? contents;
      takesCopyToRoot = (argsOf dockerTools.buildImage) ? copyToRoot;
      contentsAccepted = instantiates (dockerTools.buildImage { name = "c"; contents = [ hello ]; });
      copyToRootAccepted =
        if (argsOf dockerTools.buildImage) ? copyToRoot then
          instantiates (dockerTools.buildImage { name = "c"; copyToRoot = [ hello ]; })
        else null;
      bothAccepted =
        if (argsOf dockerTools.buildImage) ? copyToRoot then
          instantiates (dockerTools.buildImage { name = "c"; contents = [ hello ]; copyToRoot = [ hello ]; })
        else null;
      withNixDbArgs = argsOf dockerTools.buildImageWithNixDb;
      withNixDbName = (dockerTools.buildImageWithNixDb { name = "db"; contents = [ hello ]; }).name;
      hasLayered = dockerTools ? buildLayeredImage;
    };
    pullImage = {
      isFunction = builtins.isFunction pull;
      hasFunctionArgs = pull ? __functionArgs;
      args = builtins.attrNames pullArgs;
      libArgs = if pull ? __functionArgs then lib.functionArgs pull else null;
      byTag =
        if pullArgs ? imageTag then
          let p = pull { imageName = "docker.io/library/alpine"; imageTag = "3.8"; sha256 = "${SHA256}"; };
          in { inherit (p) name imageId; hasImageName = p ? imageName; hasImageTag = p ? imageTag; }
        else null;
      byDigest =
        if pullArgs ? imageDigest then
          let p = pull { imageName = "docker.io/library/alpine"; imageDigest = "${DIGEST}"; sha256 = "${SHA256}"; finalImageTag = "3.8"; };
          in { inherit (p) name imageName imageTag imageDigest; hasImageId = p ? imageId; }
        else null;
      sriAccepted =
        if pullArgs ? hash then
          instantiates (pull { imageName = "alpine"; imageDigest = "${DIGEST}"; hash = "${SRI}"; })
        else null;
      bothHashesAccepted =
        if pullArgs ? hash then
          instantiates (pull { imageName = "alpine"; imageDigest = "${DIGEST}"; hash = "${SRI}"; sha256 = "${SHA256}"; })
        else null;
    };
    functionArgs = {
      # The detector of the generated tree finds formals on every helper, functor or not.
      detected = builtins.mapAttrs (n: f: builtins.length (builtins.attrNames (argsOf f)) > 0) {
        inherit (dockerTools) buildImage pullImage;
        inherit (pkgs) fetchurl fetchzip fetchgit fetchFromGitHub bundlerEnv writeTextFile symlinkJoin;
      };
      callPackageResultHasFunctionArgs = callPackaged ? __functionArgs;
      callPackageResultArgs = if callPackaged ? __functionArgs then lib.functionArgs callPackaged else null;
      writeTextFile = builtins.attrNames (builtins.functionArgs pkgs.writeTextFile);
      fetchurlTakesHash = (argsOf pkgs.fetchurl) ? hash;
      fetchgitTakesHash = (argsOf pkgs.fetchgit) ? hash;
      sriFetchurl = if (argsOf pkgs.fetchurl) ? hash then instantiates (pkgs.fetchurl { url = "https://example.com/a.tar.gz"; hash = "${SRI}"; }) else null;
    };
    go = {
      buildGoPackage =
        if !go.success then "throws"
        else if go.value == null then "absent"
        else (go.value { name = "tool-1.0"; goPackagePath = "example.com/tool"; src = hello; }).name;
      buildGoPackageIsFunctor = if go.success && go.value != null then !(builtins.isFunction go.value) else null;
      buildGoModule = if pkgs ? buildGoModule then (pkgs.buildGoModule { pname = "tool"; version = "1.0"; src = hello; vendorHash = null; }).name else "absent";
      withoutVendorHash = if pkgs ? buildGoModule then instantiates (pkgs.buildGoModule { pname = "tool"; version = "1.0"; src = hello; }) else null;
      withVendorSha256 = if pkgs ? buildGoModule then instantiates (pkgs.buildGoModule { pname = "tool"; version = "1.0"; src = hello; vendorHash = null; vendorSha256 = "${SHA256}"; }) else null;
    };
    attributes = builtins.listToAttrs (map (n: { name = n; value = pkgs ? \${n}; }) [
      "writeShellApplication" "writeClosure" "writeReferencesToFile" "testers" "nixosTest"
      "buildGoModule" "util-linux" "utillinux" "python27Packages" "pythonPackages" "python3Packages"
      "runCommandNoCC" "runCommandLocal"
    ]);
    evaluates = builtins.mapAttrs (n: v: (builtins.tryEval (builtins.seq v true)).success) {
      utillinux = pkgs.utillinux.name or null;
      writeReferencesToFile = pkgs.writeReferencesToFile or null;
    };
    stdenvLib = pkgs.stdenv ? lib;
    # 18.03 names the derivation after the whole path (an invalid name when it has a slash).
    writeTextDirName = (pkgs.writeTextDir "etc/motd" "welcome").name;
    lib = {
      nixpkgsVersion = lib ? nixpkgsVersion;
      version = lib ? version;
      escapeShellArg = lib.escapeShellArg "abc";
      proxyImpureEnvVars = lib.fetchers.proxyImpureEnvVars;
      toINI = lib.generators.toINI { } { s = { a = true; b = 1; }; };
      toYAML = lib.generators.toYAML { } { a = [ 1 ]; };
    };
    nixosTest = {
      framework = if testing ? runTest then "testing-python.nix" else "testing.nix";
      inherit (vmTest) name;
      driver = vmTest.driver.name;
      instantiates = instantiates vmTest;
      runNixOSTest = if pkgs ? testers then (pkgs.testers.runNixOSTest { name = "module"; nodes.machine = { }; testScript = ""; }).driver.name else null;
      nixosTest = if pkgs ? nixosTest then (pkgs.nixosTest ({ pkgs, ... }: { name = "aliased"; nodes.machine = { }; testScript = ""; })).name else null;
    };
    diskImage = { inherit (disk) name; instantiates = instantiates disk; };
    contrail = ${
      profile === "nixpkgs-current"
        ? "null"
        : `{
      inherit (contrail) contrailVersion isContrail32;
      names = map (n: contrail.\${n}.name) [ "api" "control" "vrouterAgent" "collector" "analyticsApi" "discovery" "queryEngine" "schemaTransformer" "svcMonitor" "configUtils" "vrouterUtils" "vrouterNetns" "vrouterPortControl" ];
      vrouter = (contrail.lib.buildVrouter { name = "ubuntu-kernel-headers-4.4.0-101-generic"; }).name;
      test = builtins.mapAttrs (n: t: [ t.name t.driver.name ]) contrail.test;
      vms = builtins.mapAttrs (n: v: v.name) contrail.vms;
      tools = builtins.attrNames contrail.tools;
      cacheHash = (contrail.thirdPartyCache.overrideAttrs (old: { outputHash = "1rvj0dkaw4jbgmr5rkdw02s1krw1307220iwmf2j0p0485p7d3h2"; })).outputHash;
    }`
    };
  }`;
}

/** One derivation per line of `BUILDS`, built in one nix-build per profile. */
function buildsExpr(profile: Profile): string {
  return `let ${prelude(profile)}
    root = pkgs.writeTextFile { name = "motd"; text = "welcome\\n"; destination = "/etc/motd"; };
    contentsArg = if (argsOf dockerTools.buildImage) ? copyToRoot then "copyToRoot" else "contents";
  in [
    (pkgs.writeTextFile { name = "greeting"; text = "hello\\n"; destination = "/share/greeting"; })
    (pkgs.writeShellScriptBin "greet" ''echo "hello from $(basename "$0")"'')
    (pkgs.runCommand "counted" { words = "a b c"; } ''echo $words | wc -w > $out'')
    (pkgs.runCommand "hello_1.0_all.deb" { nativeBuildInputs = [ pkgs.dpkg ]; } ''
      mkdir -p pkg/DEBIAN pkg/usr/share/hello
      printf 'Package: hello\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: Nobody <nobody@example.com>\\nDescription: a tiny package\\n' > pkg/DEBIAN/control
      echo hi > pkg/usr/share/hello/greeting
      dpkg-deb --root-owner-group --build -Z gzip pkg "$out"
    '')
    (dockerTools.buildImage {
      name = "app";
      \${contentsArg} = [ root ];
      extraCommands = "mkdir -p tmp && chmod 1777 tmp";
      config.Cmd = [ "/bin/app" ];
    })
    (pkgs.stdenv.mkDerivation { name = "phased-1.0"; src = hello; })
    ${
      profile === "nixpkgs-current"
        ? // nixpkgs-contrail does not evaluate with a current nixpkgs (it needs GCC 5): a NixOS
          // test of its own stands for its driver, and hello for a component.
          `hello
    ((import (pkgs.path + "/nixos/lib/testing-python.nix") { inherit (pkgs) system; }).makeTest { name = "all-in-one"; nodes.machine = { }; testScript = ""; }).driver`
        : `contrail.api
    contrail.test.allInOne.driver`
    }
  ]`;
}

const BUILDS = [
  "writeTextFile",
  "writeShellScriptBin",
  "runCommand",
  "deb",
  "image",
  "mkDerivation",
  "contrailApi",
  "driver",
] as const;

/** Evaluating `expr` fails, with this in the error. */
function failsWith(profile: Profile, expr: string, message: RegExp) {
  const result = run("nix-instantiate", ["--eval", "-E", `let ${prelude(profile)} in ${expr}`]);
  expect(result.status, result.stdout).not.toBe(0);
  expect(result.stderr).toMatch(message);
}

const EXPECTED = {
  "nixpkgs-18.03": {
    buildImage: {
      name: "docker-image-App.tar.gz",
      imageName: "registry.example.com/team/app",
      tagIsOutputHash: false,
      imageTag: "latest",
      taggedTag: "v1",
      isFunction: true,
      hasFunctionArgs: false,
      takesContents: true,
      takesCopyToRoot: false,
      contentsAccepted: true,
      copyToRootAccepted: null,
      bothAccepted: null,
      withNixDbArgs: { contents: true, extraCommands: true },
      withNixDbName: "docker-image-db.tar.gz",
      hasLayered: false,
    },
    pullImage: {
      isFunction: false,
      hasFunctionArgs: false,
      args: ["imageId", "imageName", "imageTag", "name", "sha256"],
      libArgs: null,
      byTag: {
        name: "docker-image-docker.io-library-alpine-3.8.tar",
        imageId: "docker.io/library/alpine:3.8",
        hasImageName: false,
        hasImageTag: false,
      },
      byDigest: null,
      sriAccepted: null,
      bothHashesAccepted: null,
    },
    functionArgs: {
      callPackageResultHasFunctionArgs: false,
      callPackageResultArgs: null,
      writeTextFile: ["checkPhase", "destination", "executable", "name", "text"],
      fetchurlTakesHash: false,
      fetchgitTakesHash: false,
      sriFetchurl: null,
    },
    go: {
      buildGoPackage: "tool-1.0",
      buildGoPackageIsFunctor: true,
      buildGoModule: "absent",
      withoutVendorHash: null,
      withVendorSha256: null,
    },
    attributes: {
      writeShellApplication: false,
      writeClosure: false,
      writeReferencesToFile: true,
      testers: false,
      nixosTest: false,
      buildGoModule: false,
      "util-linux": false,
      utillinux: true,
      python27Packages: true,
      pythonPackages: true,
      python3Packages: true,
      runCommandNoCC: true,
      runCommandLocal: false,
    },
    evaluates: { utillinux: true, writeReferencesToFile: true },
    stdenvLib: true,
    writeTextDirName: "etc/motd",
    lib: {
      nixpkgsVersion: true,
      version: false,
      escapeShellArg: "'abc'",
      proxyImpureEnvVars: ["http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy"],
      toINI: "[s]\na=1\nb=1\n",
      toYAML: '{"a":[1]}',
    },
    nixosTest: {
      framework: "testing.nix",
      name: "vm-test-run-smoke",
      driver: "nixos-test-driver-smoke",
      instantiates: true,
      runNixOSTest: null,
      nixosTest: null,
    },
  },
  "nixpkgs-current": {
    buildImage: {
      name: "docker-image-App.tar.gz",
      imageName: "registry.example.com/team/app",
      tagIsOutputHash: true,
      imageTag: "<output hash>",
      taggedTag: "V1",
      isFunction: false,
      hasFunctionArgs: true,
      takesContents: true,
      takesCopyToRoot: true,
      contentsAccepted: true,
      copyToRootAccepted: true,
      bothAccepted: false,
      withNixDbArgs: {},
      withNixDbName: "docker-image-db.tar.gz",
      hasLayered: true,
    },
    pullImage: {
      isFunction: false,
      hasFunctionArgs: true,
      args: [
        "arch",
        "finalImageName",
        "finalImageTag",
        "hash",
        "imageDigest",
        "imageName",
        "name",
        "os",
        "tlsVerify",
      ],
      libArgs: {
        arch: true,
        finalImageName: true,
        finalImageTag: true,
        hash: false,
        imageDigest: false,
        imageName: false,
        name: true,
        os: true,
        tlsVerify: true,
      },
      byTag: null,
      byDigest: {
        name: "docker-image-docker.io-library-alpine-3.8.tar",
        imageName: "docker.io/library/alpine",
        imageTag: "3.8",
        imageDigest: DIGEST,
        hasImageId: false,
      },
      sriAccepted: true,
      bothHashesAccepted: false,
    },
    functionArgs: {
      callPackageResultHasFunctionArgs: true,
      callPackageResultArgs: { a: false, b: true },
      writeTextFile: [
        "allowSubstitutes",
        "checkPhase",
        "derivationArgs",
        "destination",
        "executable",
        "meta",
        "name",
        "passthru",
        "preferLocalBuild",
        "text",
      ],
      fetchurlTakesHash: true,
      fetchgitTakesHash: true,
      sriFetchurl: true,
    },
    go: {
      buildGoPackage: "throws",
      buildGoPackageIsFunctor: null,
      buildGoModule: "tool-1.0",
      withoutVendorHash: false,
      withVendorSha256: false,
    },
    attributes: {
      writeShellApplication: true,
      writeClosure: true,
      writeReferencesToFile: true,
      testers: true,
      nixosTest: true,
      buildGoModule: true,
      "util-linux": true,
      utillinux: true,
      python27Packages: false,
      pythonPackages: false,
      python3Packages: true,
      runCommandNoCC: false,
      runCommandLocal: true,
    },
    evaluates: { utillinux: false, writeReferencesToFile: false },
    stdenvLib: false,
    writeTextDirName: "motd",
    lib: {
      nixpkgsVersion: false,
      version: true,
      escapeShellArg: "abc",
      proxyImpureEnvVars: [
        "http_proxy",
        "https_proxy",
        "ftp_proxy",
        "all_proxy",
        "no_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "FTP_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "NIX_SSL_CERT_FILE",
      ],
      toINI: "[s]\na=true\nb=1\n",
      toYAML: '{"a":[1]}',
    },
    nixosTest: {
      framework: "testing-python.nix",
      name: "vm-test-run-smoke",
      driver: "nixos-test-driver-smoke",
      instantiates: true,
      runNixOSTest: "nixos-test-driver-module",
      nixosTest: "vm-test-run-aliased",
    },
  },
} as const;

const CONTRAIL_NAMES = [
  "contrail-api-server-3.2",
  "contrail-control-3.2",
  "contrail-vrouter-agent-3.2",
  "contrail-collector-3.2",
  "contrail-analytics-api-3.2",
  "contrail-discovery-3.2",
  "contrail-query-engine-3.2",
  "contrail-schema-transformer-3.2",
  "contrail-svc-monitor-3.2",
  "contrail-config-utils-3.2",
  "contrail-vrouter-utils-3.2",
  "contrail-vrouter-netns-3.2",
  "contrail-vrouter-port-control-3.2",
];

function listTree(dir: string, sub = ""): string[] {
  return readdirSync(join(dir, sub))
    .sort()
    .flatMap((name) => {
      const path = sub === "" ? name : `${sub}/${name}`;
      return statSync(join(dir, path)).isDirectory()
        ? [`${path}/`, ...listTree(dir, path)]
        : [path];
    });
}

describe.runIf(nixTestsEnabled())("offline nixpkgs stand-ins", () => {
  describe.each(PROFILES)("%s", (profile) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let facts: any;
    const built = {} as Record<(typeof BUILDS)[number], string>;

    beforeAll(() => {
      const evaluated = run("nix-instantiate", [
        "--eval",
        "--strict",
        "--json",
        "-E",
        factsExpr(profile),
      ]);
      expect(evaluated.status, evaluated.stderr).toBe(0);
      facts = JSON.parse(evaluated.stdout);

      const result = run("nix-build", ["--no-out-link", ...OFFLINE, "-E", buildsExpr(profile)]);
      expect(result.status, result.stderr).toBe(0);
      const paths = result.stdout.trim().split("\n");
      expect(paths).toHaveLength(BUILDS.length);
      BUILDS.forEach((name, i) => (built[name] = paths[i]!));
    });

    const expected = EXPECTED[profile];

    it("dockerTools.buildImage: derivation name, imageName, imageTag default, wrapper", () => {
      expect(facts.buildImage).toEqual(expected.buildImage);
    });

    it("dockerTools.pullImage: argument set and result attributes", () => {
      expect(facts.pullImage).toEqual(expected.pullImage);
    });

    it("the functor-aware detector finds the formals of every helper", () => {
      expect(Object.values(facts.functionArgs.detected)).toEqual(
        Object.values(facts.functionArgs.detected).map(() => true),
      );
      const { detected: _, ...rest } = facts.functionArgs;
      expect(rest).toEqual(expected.functionArgs);
    });

    it("Go builders, era attributes, lib, stdenv.lib and writeTextDir", () => {
      expect(facts.go).toEqual(expected.go);
      expect(facts.attributes).toEqual(expected.attributes);
      expect(facts.evaluates).toEqual(expected.evaluates);
      expect(facts.stdenvLib).toBe(expected.stdenvLib);
      expect(facts.writeTextDirName).toBe(expected.writeTextDirName);
      expect(facts.lib).toEqual(expected.lib);
    });

    it("NixOS tests and vmTools disk images instantiate", () => {
      expect(facts.nixosTest).toEqual(expected.nixosTest);
      const ubuntu =
        profile === "nixpkgs-current" ? "ubuntu-14.04-trusty-amd64" : "ubuntu-16.04-xenial-amd64";
      expect(facts.diskImage).toEqual({ name: ubuntu, instantiates: true });
    });

    it("builtins.functionArgs fails on the functors, uncatchably", () => {
      const functor =
        profile === "nixpkgs-18.03" ? "dockerTools.pullImage" : "dockerTools.buildImage";
      failsWith(profile, `builtins.functionArgs ${functor}`, /'functionArgs' requires a function/);
      if (profile === "nixpkgs-18.03") {
        // 18.03's lib.functionArgs does not unwrap functors either.
        failsWith(
          profile,
          "lib.functionArgs dockerTools.pullImage",
          /'functionArgs' requires a function/,
        );
      }
    });

    it("strict formals reject unknown arguments", () => {
      failsWith(
        profile,
        `(dockerTools.buildImage { name = "x"; diskSizeMb = 1; }).drvPath`,
        /called with unexpected argument 'diskSizeMb'/,
      );
      failsWith(
        profile,
        `(pkgs.writeTextFile { name = "x"; text = ""; mode = "0644"; }).drvPath`,
        /called with unexpected argument 'mode'/,
      );
      if (profile === "nixpkgs-18.03") {
        failsWith(
          profile,
          `(dockerTools.buildImage { name = "x"; copyToRoot = [ ]; }).drvPath`,
          /called with unexpected argument 'copyToRoot'/,
        );
        failsWith(
          profile,
          `(dockerTools.pullImage { imageName = "a"; imageDigest = "${DIGEST}"; sha256 = "${SHA256}"; }).drvPath`,
          /called with unexpected argument 'imageDigest'/,
        );
        failsWith(
          profile,
          `(pkgs.fetchurl { url = "https://example.com/a"; hash = "${SRI}"; }).drvPath`,
          /called with unexpected argument 'hash'/,
        );
      } else {
        failsWith(
          profile,
          `(dockerTools.pullImage { imageName = "a"; imageTag = "b"; sha256 = "${SHA256}"; }).drvPath`,
          /called without required argument 'imageDigest'/,
        );
        failsWith(
          profile,
          `(pkgs.fetchurl { url = "https://example.com/a"; md5 = "x"; }).drvPath`,
          /called with unexpected argument 'md5'/,
        );
      }
    });

    it("era-specific error messages", () => {
      if (profile === "nixpkgs-18.03") {
        failsWith(
          profile,
          `(pkgs.fetchurl { url = "https://example.com/a"; }).drvPath`,
          /fetchurl requires a hash for fixed-output derivation: https:\/\/example\.com\/a/,
        );
        failsWith(
          profile,
          `(pkgs.fetchurl { url = "https://example.com/a"; md5 = "x"; }).drvPath`,
          /fetchurl does not support md5 anymore, please use sha256 or sha512/,
        );
        return;
      }
      failsWith(
        profile,
        `(dockerTools.buildImage { name = "x"; contents = [ hello ]; copyToRoot = [ hello ]; }).drvPath`,
        /in docker image x: You can not specify both contents and copyToRoot\./,
      );
      failsWith(profile, "pkgs.buildGoPackage", /`buildGoPackage` has been deprecated and removed/);
      failsWith(
        profile,
        `(pkgs.buildGoModule { pname = "t"; version = "1"; src = hello; }).drvPath`,
        /buildGoModule: vendorHash is missing/,
      );
      failsWith(
        profile,
        "pkgs.utillinux",
        /'utillinux' has been renamed to\/replaced by 'util-linux'/,
      );
      failsWith(
        profile,
        `(dockerTools.pullImage { imageName = "a"; imageDigest = "${DIGEST}"; hash = "${SRI}"; sha256 = "${SHA256}"; }).drvPath`,
        /fetcher called with mutually-incompatible arguments: hash, sha256/,
      );
    });

    it("writeTextFile, writeShellScriptBin and runCommand really build", () => {
      expect(readFileSync(join(built.writeTextFile, "share/greeting"), "utf8")).toBe("hello\n");
      const greet = join(built.writeShellScriptBin, "bin/greet");
      expect(readFileSync(greet, "utf8")).toMatch(
        /^#!\/nix\/store\/[a-z0-9]{32}-bash-[^/]+\/bin\/bash\necho "hello from \$\(basename "\$0"\)"\n$/,
      );
      expect(run(greet, []).stdout).toBe("hello from greet\n");
      expect(readFileSync(built.runCommand, "utf8").trim()).toBe("3");
    });

    it("a .deb really builds with the dpkg stand-in", () => {
      expect(run("dpkg-deb", ["-f", built.deb, "Package", "Version"]).stdout).toBe(
        "Package: hello\nVersion: 1.0\n",
      );
      expect(run("dpkg-deb", ["-c", built.deb]).stdout).toMatch(
        /\.\/usr\/share\/hello\/greeting$/m,
      );
    });

    it("dockerTools.buildImage builds a tarball: contents, extraCommands, config", () => {
      expect(built.image).toMatch(/-docker-image-app\.tar\.gz$/);
      const listing = run("tar", ["-tvzf", built.image]).stdout;
      expect(listing).toMatch(/^-rw-r--r-- .* \.\/layer\/etc\/motd$/m);
      expect(listing).toMatch(/^drwxrwxrwt .* \.\/layer\/tmp\/$/m);
      const config = JSON.parse(run("tar", ["-xzOf", built.image, "./config.json"]).stdout);
      expect(config).toMatchObject({
        architecture: "amd64",
        os: "linux",
        config: { Cmd: ["/bin/app"] },
      });
      const manifest = JSON.parse(run("tar", ["-xzOf", built.image, "./manifest.json"]).stdout);
      const tag = profile === "nixpkgs-18.03" ? "latest" : built.image.slice(11, 43);
      expect(manifest[0].RepoTags).toEqual([`app:${tag}`]);
    });

    it("stdenv.mkDerivation without buildCommand gives a stand-in recording the name", () => {
      expect(readFileSync(join(built.mkDerivation, ".harness-stand-in"), "utf8")).toMatch(
        /^phased-1\.0 \(out output\): harness stand-in/,
      );
    });

    it("the NixOS test driver builds, with programs that say they need a VM", () => {
      const programs = listTree(built.driver).filter((p) => p.startsWith("bin/") && p !== "bin/");
      expect(programs).toEqual(
        profile === "nixpkgs-18.03"
          ? ["bin/nixos-run-vms", "bin/nixos-test-driver"]
          : ["bin/nixos-test-driver"],
      );
      const driver = run(join(built.driver, "bin/nixos-test-driver"), []);
      expect(driver.status).toBe(1);
      expect(driver.stderr).toMatch(/the NixOS test all-in-one needs QEMU\/KVM/);
    });

    it.runIf(profile === "nixpkgs-current")(
      "contrail: nixpkgs-contrail stops, for want of the toolchain it builds with",
      () => {
        failsWith(profile, "contrail.api.drvPath", /attribute 'gcc5' missing/);
      },
    );

    it.runIf(profile !== "nixpkgs-current")(
      "contrail: an extends layer selects 3.2 and replaces a source, up to the build",
      () => {
        expect(facts.contrail).toEqual({
          contrailVersion: "3.2",
          isContrail32: true,
          names: CONTRAIL_NAMES,
          vrouter: "contrail-vrouter-ubuntu-kernel-headers-4.4.0-101-generic",
          test: {
            allInOne: ["vm-test-run-all-in-one", "nixos-test-driver-all-in-one"],
            loadDatabase: [
              "vm-test-run-contrail-database-loader",
              "nixos-test-driver-contrail-database-loader",
            ],
            gremlinDump: ["vm-test-run-gremlin-dump", "nixos-test-driver-gremlin-dump"],
          },
          vms: {
            computeNode: "nixos-test-driver-compute-node",
            computeNodeDockerImage: "docker-image-vrouter.tar.gz",
          },
          tools: [
            "contrail32DatabaseLoader",
            "contrailApiCliWithExtra",
            "contrailGremlin",
            "contrailIntrospectCli",
            "gremlinChecks",
            "gremlinConsole",
            "gremlinFsck",
            "gremlinServer",
          ],
          cacheHash: "1rvj0dkaw4jbgmr5rkdw02s1krw1307220iwmf2j0p0485p7d3h2",
        });
        expect(built.contrailApi).toMatch(/-contrail-api-server-3\.2$/);
        const sources = readFileSync(join(built.contrailApi, "share/contrail/sources"), "utf8");
        expect(sources).toContain(
          "controller: github:cloudwatt/contrail-controller/300f8d6a9524d326f674e7fe8f6fbc9c9b645495 sha256:183j4qm8qz532c8jpr25hzhgaki7wjn46cc4d04009mk3r6zfys8\n",
        );
        expect(run(join(built.contrailApi, "bin/contrail-api"), []).stdout).toBe(
          "contrail-api (harness stand-in for contrail-api-server-3.2)\n",
        );
      },
    );
  });

  it("nixpkgs-contrail's own entry point gives contrail32 and contrailMaster", () => {
    const expr = `let c = import ${CONTRAIL_HARNESS} { }; in {
      api32 = c.contrail32.api.name;
      apiMaster = c.contrailMaster.api.name;
      allInOne = c.contrail32.test.allInOne.driver.name;
    }`;
    const result = run("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      api32: "contrail-api-server-3.2",
      apiMaster: "contrail-api-server-master",
      allInOne: "nixos-test-driver-all-in-one",
    });
  });
});
