# Docker images whose services run under the perp supervisor.
{ pkgs, compat }:

let
  inherit (pkgs) lib writeTextFile;
in
rec {
  # The rc.main of one perp service, installed as /etc/perp/<name>/rc.main. Its text comes from
  # the generator, which writes it literally into the image's file.
  perpService =
    { name, rcMain }:
    writeTextFile {
      name = "${name}-rc.main";
      destination = "/etc/perp/${name}/rc.main";
      executable = true;
      text = rcMain;
    };

  # The parent of every image with fluentd: `fromImage` plus a layer holding fluentd, so images
  # built from the same parent share that layer.
  fluentdBaseImage =
    { fromImage, fluentd }:
    compat.buildImage {
      name = "fluentd";
      inherit fromImage;
      contents = [ fluentd ];
    };

  # An image with perpd as entry point (perpd comes from the parent image) and one perp service
  # per element of `services` ({ name, rcMain }). perpd only starts services whose directory has
  # the sticky bit, so every one gets it. The rc.main files are exposed as `perpServices.<name>`,
  # for inspection and tests.
  buildPerpImage =
    {
      name,
      fromImage,
      services,
      builder ? "buildImage",
      contents ? [ ],
      extraCommands ? "",
      runAsRoot ? null,
      config ? { },
    }:
    let
      perpServices = lib.listToAttrs (map (s: lib.nameValuePair s.name (perpService s)) services);
      image = buildPlainImage {
        inherit
          name
          fromImage
          builder
          runAsRoot
          ;
        contents = map (s: perpServices.${s.name}) services ++ contents;
        config = {
          Cmd = [ "/usr/sbin/perpd" ];
        }
        // config;
        extraCommands = ''
          find etc/perp -type d -exec chmod +t {} \;
        ''
        + extraCommands;
      };
    in
    image // { inherit perpServices; };

  # An image built by `builder` (buildImage or buildImageWithNixDb, through compat): images
  # without services, and the perp images above.
  buildPlainImage =
    {
      name,
      fromImage,
      builder ? "buildImage",
      contents ? [ ],
      extraCommands ? "",
      runAsRoot ? null,
      config ? null,
    }:
    compat.${builder} (
      {
        inherit name fromImage extraCommands;
      }
      // lib.optionalAttrs (contents != [ ]) { inherit contents; }
      // lib.optionalAttrs (config != null) { inherit config; }
      // lib.optionalAttrs (runAsRoot != null) { inherit runAsRoot; }
    );
}
