# tools: the Contrail command-line tools of nixpkgs-contrail. The Go programs use
# buildGoPackage where the nixpkgs has it, buildGoModule otherwise; the Java and Python
# distributions are stand-ins providing their programs.
{
  pkgs,
  pkgs_path,
  contrailPkgs,
}:

let
  inherit (pkgs) lib;
  testing = import ../test/testing.nix { inherit pkgs pkgs_path; };

  # buildGoPackage is an alias that throws in a current nixpkgs.
  hasBuildGoPackage =
    let
      found = builtins.tryEval (pkgs.buildGoPackage or null);
    in
    found.success && found.value != null;

  buildGo =
    {
      pname,
      version,
      goPackagePath,
      src,
      subPackages ? [ ],
    }:
    if hasBuildGoPackage then
      pkgs.buildGoPackage (
        {
          name = "${pname}-${version}";
          inherit goPackagePath src;
        }
        // lib.optionalAttrs (subPackages != [ ]) { inherit subPackages; }
      )
    else
      pkgs.buildGoModule (
        {
          inherit pname version src;
          vendorHash = null;
        }
        // lib.optionalAttrs (subPackages != [ ]) { inherit subPackages; }
      );

  # A distribution whose programs are stand-ins, recording the source it would be built from.
  standIn =
    name: src: programs:
    pkgs.runCommand name
      {
        inherit src programs;
      }
      ''
        mkdir -p "$out/bin"
        for program in $programs; do
          printf '#!/bin/sh\necho "%s (harness stand-in for %s)"\n' "$program" "$name" > "$out/bin/$program"
          chmod +x "$out/bin/$program"
        done
      '';

  gremlinZip =
    what: sha256:
    pkgs.fetchzip {
      url = "http://www-eu.apache.org/dist/tinkerpop/3.3.2/apache-tinkerpop-gremlin-${what}-3.3.2-bin.zip";
      inherit sha256;
    };

  contrailGremlinSrc = pkgs.fetchFromGitHub {
    owner = "eonpatapon";
    repo = "contrail-gremlin";
    rev = "ebb905689f547a98b5a2c48857f92df512eecb2b";
    sha256 = "0z6dz5l42li1adx167y3p6bn23vf1lqmadz04abxszm4krpgcc3q";
  };
in
rec {
  contrailIntrospectCli = buildGo {
    pname = "contrail-introspect-cli";
    version = "2018-08-13";
    goPackagePath = "github.com/nlewo/contrail-introspect-cli";
    src = pkgs.fetchgit {
      url = "https://github.com/nlewo/contrail-introspect-cli";
      rev = "daf7334019fa91e72c4764345b9056ab3410ec89";
      sha256 = "1vx7acz63jmcrgilkz18y428szxp9h6ndww9hnsxx9gybrvyv9nj";
    };
  };

  contrailApiCliWithExtra = standIn "contrail-api-cli-with-extra-0.5.4" null [ "contrail-api-cli" ];

  gremlinConsole =
    standIn "gremlin-console-3.3.2"
      (gremlinZip "console" "06vbxiaanqsjlpdn702vqppdapkyxjnrkzz5nvn9as2815p1whr3")
      [
        "gremlin-console"
      ];

  gremlinServer =
    standIn "gremlin-server-3.3.2"
      (gremlinZip "server" "0plx7m51av0kjr6x4rbsmsz5p03j980gh56czj3rfin10565v5kr")
      [
        "gremlin-server"
      ];

  contrailGremlin = buildGo {
    pname = "contrail-gremlin";
    version = "2018-01-23";
    goPackagePath = "github.com/eonpatapon/contrail-gremlin";
    src = contrailGremlinSrc;
    subPackages = [
      "gremlin-dump"
      "gremlin-sync"
      "gremlin-send"
    ];
  };

  gremlinChecks = pkgs.writeShellScriptBin "gremlin-checks" ''
    exec ${gremlinConsole}/bin/gremlin-console -e ${pkgs.writeText "checks.groovy" "// harness stand-in for the gremlin checks"} "$@"
  '';

  gremlinFsck = standIn "gremlin-fsck-0.1" contrailGremlinSrc [ "gremlin-fsck" ];

  contrail32DatabaseLoader =
    (testing.makeTest {
      name = "contrail-32-database-loader";
      nodes.machine = {
        contrail.databaseLoader.enable = true;
        environment.systemPackages = [ contrailPkgs.tools.contrailApiCliWithExtra ];
      };
      testScript = "";
    }).driver;
}
