# Docker images whose services run under the perp supervisor.
{ pkgs }:

let
  inherit (pkgs) dockerTools lib writeTextFile;
in
{
  # An image with perpd as entry point (perpd comes from the parent image) and one perp service
  # per element of `services` ({ name, rcMain }), installed as /etc/perp/<name>/rc.main.
  # perpd only starts services whose directory has the sticky bit, so every one gets it.
  # The rc.main files are exposed as `perpServices.<name>` for inspection and tests.
  buildPerpImage =
    {
      name,
      fromImage,
      services,
      contents ? [ ],
      extraCommands ? "",
    }:
    let
      rcMain =
        service:
        writeTextFile {
          name = "${service.name}-rc.main";
          destination = "/etc/perp/${service.name}/rc.main";
          executable = true;
          text = service.rcMain;
        };
      perpServices = lib.listToAttrs (map (s: lib.nameValuePair s.name (rcMain s)) services);
      image = dockerTools.buildImage {
        inherit name fromImage;
        contents = map (s: perpServices.${s.name}) services ++ contents;
        config.Cmd = [ "/usr/sbin/perpd" ];
        extraCommands = ''
          find etc/perp -type d -exec chmod +t {} \;
        '' + extraCommands;
      };
    in
    image // { inherit perpServices; };
}
