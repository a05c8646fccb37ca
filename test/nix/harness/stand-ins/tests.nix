# The package set's NixOS tests (test.*): the docker-compose stack runner's programs, and the
# packages the test nodes install (the harness reads their environment.systemPackages).
{
  era,
  lib,
  v,
  hostPackage,
  pkgs,
}:

{
  kubectl = hostPackage {
    name = "kubectl-${v "1.9.1" "1.33.3"}";
    programs = [ "kubectl" ];
  };
  dnsutils = hostPackage {
    name = "bind-${v "9.12.1" "9.20.11"}-dnsutils";
    programs = [
      "dig"
      "nslookup"
    ];
  };
  docker = hostPackage {
    name = "docker-${v "18.03.0-ce" "28.3.3"}";
    programs = [
      "docker"
      "dockerd"
    ];
  };
}
// (
  let
    compose = hostPackage {
      name = "docker-compose-${v "1.19.0" "2.39.1"}";
      programs = [ "docker-compose" ];
    };
  in
  # Renamed from docker_compose to docker-compose in nixpkgs 21.05; the old name now throws.
  if era == "current" then
    {
      docker-compose = compose;
      docker_compose = throw "'docker_compose' has been renamed to/replaced by 'docker-compose'";
    }
  else
    { docker_compose = compose; }
)
