# An offline stand-in for nixpkgs-contrail's all-packages.nix (as of August 2018): an open
# package set, a function of the final set `self`, over nixpkgs' `pkgs`. A user extends it with
# `lib.extends` (for example to replace `sources`, `contrailVersion` or `thirdPartyCache`) and
# takes the fixed point with `lib.fix`.
#
# The Contrail components cannot really be built offline (scons, a C++ toolchain and the
# third-party cache): each is a stand-in that records the sources it was built from and provides
# its programs as scripts saying what they stand for. Only lib functions present in both nixpkgs
# 18.03 and a current nixpkgs are used, so the set works with either stand-in.
{
  pkgs,
  # The nixpkgs tree, used by the NixOS tests.
  nixpkgs,
}:

self:
let
  callPackage = pkgs.lib.callPackageWith self;
  callPackages = pkgs.lib.callPackagesWith self;

  # The sources every component is built from (the contrail workspace), plus its own.
  workspace = [
    "build"
    "generateds"
    "sandesh"
    "thirdParty"
  ];
  component =
    pname: sourceKeys: programs:
    callPackage ./pkgs/component.nix {
      inherit pname programs;
      sourceKeys = workspace ++ sourceKeys;
    };

  # A small Cassandra dump loaded by the database tests.
  minimalDump = pkgs.runCommand "minimal-cassandra-dump" { } ''
    mkdir -p "$out"
    echo "harness stand-in for a Cassandra dump holding the virtual network vn1" > "$out/README"
  '';
  # nixpkgs-contrail of the pinned era builds every component with GCC 5, Boost 1.55 and
  # Protocol Buffers 2.5 from nixpkgs: with a nixpkgs that lacks them, nothing evaluates.
  toolchain = pkgs.gcc5.name + pkgs.boost155.name + pkgs.protobuf2_5.name;
in
builtins.seq toolchain pkgs
// {
  # This is to allow callPackage to fill pkgs.
  inherit pkgs;

  contrail32 = "3.2";
  contrailMaster = "master";
  isContrailMaster = self.contrailVersion == self.contrailMaster;
  isContrail32 = self.contrailVersion == self.contrail32;

  sourcesMaster = callPackage ./sources.nix { };
  sources32 = callPackage ./sources-R3.2.nix { };

  # By default, the master sources.
  sources = self.sourcesMaster;
  contrailVersion = self.contrailMaster;

  # A fixed-output derivation whose hash depends on the nixpkgs used: users replace it with
  # `overrideAttrs (old: { outputHash = ...; })`, which stdenv.mkDerivation offers in both eras.
  thirdPartyCache = callPackage ./pkgs/third-party-cache.nix { };

  api = component "api-server" [ "controller" "neutronPlugin" ] [ "contrail-api" ];
  analyticsApi = component "analytics-api" [ "controller" ] [ "contrail-analytics-api" ];
  schemaTransformer = component "schema-transformer" [ "controller" ] [ "contrail-schema" ];
  svcMonitor = component "svc-monitor" [ "controller" ] [ "contrail-svc-monitor" ];
  discovery = component "discovery" [ "controller" ] [ "contrail-discovery" ];
  control = component "control" [ "controller" ] [ "contrail-control" ];
  collector = component "collector" [ "controller" ] [ "contrail-collector" ];
  queryEngine = component "query-engine" [ "controller" ] [ "qed" ];
  vrouterAgent = component "vrouter-agent" [ "controller" "vrouter" ] [ "contrail-vrouter-agent" ];
  vrouterUtils =
    component "vrouter-utils"
      [ "vrouter" ]
      [
        "vif"
        "flow"
        "rt"
        "nh"
        "mpls"
        "vrfstats"
        "dropstats"
      ];
  configUtils =
    component "config-utils"
      [ "controller" ]
      [
        "provision_control.py"
        "provision_vgw_interface.py"
        "provision_vrouter.py"
      ];
  vrouterPortControl = component "vrouter-port-control" [ "controller" ] [ "vrouter-port-control" ];
  vrouterNetns =
    component "vrouter-netns"
      [ "controller" ]
      [
        "opencontrail-vrouter-netns"
        "netns-daemon-start"
        "netns-daemon-stop"
      ];

  # Replaces nixpkgs' lib in this set, as nixpkgs-contrail does.
  lib.buildVrouter = callPackage ./pkgs/vrouter.nix { };

  test = {
    allInOne = callPackage ./test/all-in-one.nix {
      pkgs_path = nixpkgs;
      contrailPkgs = self;
    };
    loadDatabase = callPackage ./test/load-database.nix {
      pkgs_path = nixpkgs;
      contrailPkgs = self;
      cassandraDumpPath = minimalDump;
    };
    gremlinDump = callPackage ./test/gremlin-dump.nix {
      pkgs_path = nixpkgs;
      contrailPkgs = self;
      cassandraDumpPath = minimalDump;
    };
  };

  vms = callPackages ./tools/build-vms.nix {
    contrailPkgs = self;
    pkgs_path = nixpkgs;
  };

  tools = import ./tools {
    inherit pkgs;
    pkgs_path = nixpkgs;
    contrailPkgs = self;
  };
}
