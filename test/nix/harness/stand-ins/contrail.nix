# Stand-ins for the contrail images: redis (the analytics image's redis-server) and vde2 (the
# VDE switch the vrouter image starts); and the toolchain nixpkgs-contrail of the pinned era
# builds Contrail with (nixpkgs/facts.json removes it from the current profile).
{
  v,
  hostPackage,
  ...
}:

{
  redis = hostPackage {
    name = "redis-${v "4.0.8" "8.0.3"}";
    programs = [ "redis-server" ];
  };
  gcc5 = hostPackage {
    name = "gcc-wrapper-5.5.0";
    programs = [
      "gcc"
      "g++"
    ];
  };
  boost155 = hostPackage { name = "boost-1.55.0"; };
  protobuf2_5 = hostPackage {
    name = "protobuf-2.5.0";
    programs = [ "protoc" ];
  };
  vde2 = hostPackage {
    name = "vde2-${v "2.3.2" "2.3.3"}";
    programs = [ "vde_switch" ];
  };
}
