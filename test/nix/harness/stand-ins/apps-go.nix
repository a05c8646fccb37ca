# Go applications: skydive's build tools and libraries, the static archives of its static
# variant, and 18.03's Go 1.10 builder.
{
  era,
  lib,
  v,
  hostPackage,
  pkgs,
}:

let
  pkgConfig = hostPackage {
    name = "pkg-config-${v "0.29.2" "0.29.2"}";
    programs = [ "pkg-config" ];
  };
in
{
  go-bindata = hostPackage {
    name = "go-bindata-${v "20151023-a0ff256" "4.0.2"}";
    programs = [ "go-bindata" ];
  };
  go-protobuf = hostPackage {
    name = "go-protobuf-${v "2018-01-04" "1.36.6"}";
    programs = [ "protoc-gen-go" ];
  };
  protobuf3_1 = hostPackage {
    name = "protobuf-3.1.0";
    programs = [ "protoc" ];
  };
  libpcap = hostPackage { name = "libpcap-${v "1.8.1" "1.10.5"}"; };
  # One package under both names; ../../../../nixpkgs/facts.json removes the name an era lacks.
  pkgconfig = pkgConfig;
  pkg-config = pkgConfig;
  libxml2 = hostPackage {
    name = "libxml2-${v "2.9.7" "2.14.5"}";
    programs = [ "xmllint" ];
    # The release tarball nixpkgs builds from.
    passthru.src = hostPackage { name = "libxml2-${v "2.9.7" "2.14.5"}.tar.gz"; };
  };
  # zlib built with its `static` output.
  zlibStatic = hostPackage {
    name = "zlib-${v "1.2.11" "1.3.1"}";
    passthru.static = hostPackage { name = "zlib-${v "1.2.11" "1.3.1"}-static"; };
  };
}
// lib.optionalAttrs (era != "current") {
  # buildGoPackage with Go 1.10, which the harness's `go` already is in this era.
  buildGo110Package = pkgs.buildGoPackage;
}
