# One Contrail component, `contrail-<pname>-<contrailVersion>`: a stand-in that records in
# share/contrail/sources which sources it was built from (and the third-party cache hash), and
# provides each of `programs` as bin/<program>, a script saying what it stands for.
{
  stdenv,
  sources,
  contrailVersion,
  thirdPartyCache,
  pname,
  sourceKeys,
  programs,
}:

let
  describe = key: "${key}: ${sources.${key}.description or "${sources.${key}}"}";
in
stdenv.mkDerivation {
  name = "contrail-${pname}-${contrailVersion}";
  version = contrailVersion;
  srcs = map (key: sources.${key}) sourceKeys;
  sourceDescriptions = builtins.concatStringsSep "\n" (map describe sourceKeys);
  thirdPartyCacheHash = thirdPartyCache.outputHash;
  inherit programs;
  passAsFile = [ "sourceDescriptions" ];
  buildCommand = ''
    mkdir -p "$out/bin" "$out/share/contrail"
    cp "$sourceDescriptionsPath" "$out/share/contrail/sources"
    echo >> "$out/share/contrail/sources"
    echo "thirdPartyCache: $thirdPartyCacheHash" >> "$out/share/contrail/sources"
    for program in $programs; do
      printf '#!/bin/sh\necho "%s (harness stand-in for %s)"\n' "$program" "$name" > "$out/bin/$program"
      chmod +x "$out/bin/$program"
    done
  '';
  meta.description = "Contrail ${pname} (harness stand-in)";
}
