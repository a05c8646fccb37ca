# lib.buildVrouter: the vrouter kernel module for the kernel whose headers are given, as
# `contrail-vrouter-<headers name>`; lib/modules/<kernel version>/extra/net/vrouter/vrouter.ko
# is a stand-in naming the headers and the vrouter source.
{
  stdenv,
  sources,
  contrailVersion,
}:

kernelHeaders:
let
  parsed = builtins.match ".*-([0-9]+\\.[0-9]+\\.[0-9]+-[0-9]+-[a-z]+)" kernelHeaders.name;
  kernelVersion =
    if parsed == null then kernelHeaders.version or kernelHeaders.name else builtins.head parsed;
in
stdenv.mkDerivation {
  name = "contrail-vrouter-${kernelHeaders.name}";
  version = contrailVersion;
  src = sources.vrouter;
  sourceDescription = sources.vrouter.description or "${sources.vrouter}";
  inherit kernelHeaders;
  KERNEL_VERSION = kernelVersion;
  hardeningDisable = [ "pic" ];
  buildCommand = ''
    module="$out/lib/modules/$KERNEL_VERSION/extra/net/vrouter"
    mkdir -p "$module"
    printf 'harness stand-in for vrouter.ko\nkernel headers: %s\nsource: %s\n' \
      "$kernelHeaders" "$sourceDescription" > "$module/vrouter.ko"
  '';
  meta.description = "Contrail vrouter kernel module for kernel ${kernelHeaders.name}";
}
