# The Contrail master sources, pinned to the branch with a placeholder hash (nothing is fetched
# offline).
{ fetchFromGitHub }:

let
  juniper =
    repo:
    fetchFromGitHub {
      owner = "Juniper";
      inherit repo;
      rev = "master";
      sha256 = "0000000000000000000000000000000000000000000000000000";
    };
in
{
  build = juniper "contrail-build";
  controller = juniper "contrail-controller";
  generateds = juniper "contrail-generateds";
  neutronPlugin = juniper "contrail-neutron-plugin";
  sandesh = juniper "contrail-sandesh";
  thirdParty = juniper "contrail-third-party";
  vrouter = juniper "contrail-vrouter";
  webController = juniper "contrail-web-controller";
  webCore = juniper "contrail-web-core";
  webuiThirdParty = juniper "contrail-webui-third-party";
}
