# Debian packages (.deb) holding Nix-built programs, for hosts without Nix.
{ pkgs }:

let
  inherit (pkgs) lib runCommand writeTextFile;
in
{
  # Builds <name>-<version>.deb. The runtime closures of `contents` are copied under var/opt, and
  # a relative link /nix -> var/opt/nix makes every /nix/store reference valid on the target.
  # `control` is the DEBIAN/control text; `maintainerScripts` ({ postinst = text; ... }) go to
  # DEBIAN/ too; `files` ({ "etc/x" = { text; executable; }; }) are written into the package
  # tree; then `layout` runs in that tree. The control file is exposed as `control` for
  # inspection and tests.
  mkDebianPackage =
    {
      name,
      version,
      repository,
      control,
      contents ? [ ],
      maintainerScripts ? { },
      files ? { },
      layout ? "",
    }:
    let
      controlFile = writeTextFile {
        name = "${name}-${version}-control";
        text = control;
      };
      scripts = lib.mapAttrs (
        script: text:
        writeTextFile {
          name = script;
          inherit text;
          executable = true;
        }
      ) maintainerScripts;
      packageFiles = lib.mapAttrs (
        path: file:
        writeTextFile {
          name = baseNameOf path;
          inherit (file) text executable;
        }
      ) files;
      layoutScript = pkgs.writeText "${name}-layout" layout;
      graphs = map (c: "closure-${baseNameOf c}") contents;
      buildDir = "${name}-0.0";
    in
    runCommand "${name}-${version}.deb"
      {
        nativeBuildInputs = [ pkgs.dpkg ];
        exportReferencesGraph = lib.concatLists (
          lib.zipListsWith (g: c: [
            g
            c
          ]) graphs contents
        );
        inherit version repository;
        passthru.control = controlFile;
      }
      ''
        mkdir -p ${buildDir}/DEBIAN
        ${lib.optionalString (contents != [ ]) ''
          # Every store path of the closures, once.
          mkdir -p ${buildDir}/var/opt/nix/store
          cat ${lib.concatStringsSep " " graphs} | grep '^/' | sort -u | while read -r path; do
            cp -rp "$path" ${buildDir}/var/opt/nix/store/
          done
          ln -s var/opt/nix ${buildDir}/nix
        ''}
        cp ${controlFile} ${buildDir}/DEBIAN/control
        ${lib.concatStrings (
          lib.mapAttrsToList (script: file: ''
            cp ${file} ${buildDir}/DEBIAN/${script}
          '') scripts
        )}
        ${lib.concatStrings (
          lib.mapAttrsToList (path: file: ''
            mkdir -p "$(dirname ${buildDir}/${path})"
            cp ${file} ${buildDir}/${path}
          '') packageFiles
        )}
        chmod -R u+w ${buildDir}
        (cd ${buildDir} && source ${layoutScript})
        # gzip rather than dpkg's default xz: older dpkg versions on the targets cannot read xz.
        dpkg-deb --build -Z gzip ${buildDir} "$out"
      '';
}
