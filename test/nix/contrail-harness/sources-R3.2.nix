# The Contrail 3.2 sources (branch R3.2 of Juniper's repositories). The revisions are those of
# nixpkgs-contrail's sources-R3.2.nix where known; controller, neutronPlugin and vrouter are
# pinned to the branch with a placeholder hash (nothing is fetched offline; users replace them).
{ fetchFromGitHub }:

let
  juniper =
    repo: rev: sha256:
    fetchFromGitHub {
      owner = "Juniper";
      inherit repo rev sha256;
    };
  placeholder = "0000000000000000000000000000000000000000000000000000";
in
{
  build =
    juniper "contrail-build" "a18e25f1fca9c2c75b02faa26189f74b87b9e61f"
      "126m7fbrrjxqkaq0wsjdlyllbxl989qrck10i3r3x638g57g4k6c";
  controller = juniper "contrail-controller" "R3.2" placeholder;
  generateds =
    juniper "contrail-generateds" "706ac48789084ff3148c250e102842df46dae383"
      "1jdk7dnknihc2vj4vallw8l1lnn9hra0ibhxp9d9h6992q3d0wwi";
  neutronPlugin = juniper "contrail-neutron-plugin" "R3.2" placeholder;
  sandesh =
    juniper "contrail-sandesh" "a0e6cc3e12b5235b327844120ab4534354d6b6d7"
      "1100dkgbva6m9bs8jyqx53p64smrv5n1b263anq35h3pilgdv4y7";
  thirdParty =
    juniper "contrail-third-party" "6a4e862d8ef308495e27e06784ed7ac412c2ab9f"
      "0hawvj108b04rbqn3k6c9lsa2janvqb1gz6h547j886i443qspfs";
  vrouter = juniper "contrail-vrouter" "R3.2" placeholder;
  webController =
    juniper "contrail-web-controller" "1fd9eaa15afe63ca08a1312cb2a4c76708f0b266"
      "1dqdqhwwjqivvh5hfcca94frhyz8dn73xviqrkyk7wx6jwxb93a4";
  webCore =
    juniper "contrail-web-core" "5d1990693fec1442711682981f413478d7afd25f"
      "14r55y7a28zaw4ngsici6v72rdl922sx6gnpnibk91djmbwywfh9";
  webuiThirdParty =
    juniper "contrail-webui-third-party" "6ad272f3f1e3fd114c4a891e4ae272084c12a6ea"
      "1rpsyvm6ddpi3yhmkc6yhr6hr06f3hrm0pa561dc4nlh4d15x246";
}
