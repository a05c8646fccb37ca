# Stand-ins for the contrail images: redis (the analytics image's redis-server) and vde2 (the
# VDE switch the vrouter image starts).
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
  vde2 = hostPackage {
    name = "vde2-${v "2.3.2" "2.3.3"}";
    programs = [ "vde_switch" ];
  };
}
