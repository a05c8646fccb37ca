# Ruby and Python applications (fluentd, pileus, openstackClient).
{
  era,
  lib,
  v,
  hostPackage,
  pkgs,
}:

{
  zlib = hostPackage {
    name = "zlib-${v "1.2.11" "1.3.1"}";
    links."lib/libz.so" = "/usr/lib/x86_64-linux-gnu/libz.so";
  };
  libmsgpack = hostPackage { name = "libmsgpack-${v "2.1.5" "6.1.0"}"; };
  # bundlerEnv's default per-gem settings: functions of the gem's attributes.
  defaultGemConfig = {
    nokogiri = attrs: { buildFlags = [ "--use-system-libraries" ]; };
  };
}
