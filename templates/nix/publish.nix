# Jobs that publish build results: Docker images to a registry, Debian packages to Aptly.
#
# Both are fixed-output derivations whose expected output is a short text computed from what is
# published. A fixed-output build may reach the network and read the impure environment
# variables it names; and since its output is known in advance, Hydra runs it once per
# (image, destination) and considers it done afterwards.
{ pkgs }:

let
  inherit (pkgs) lib;

  # The text a publish job writes, and the fixed output hash that goes with it.
  fixedText = text: {
    outputHashMode = "flat";
    outputHashAlgo = "sha256";
    outputHash = builtins.hashString "sha256" text;
  };

  proxyVariables = lib.fetchers.proxyImpureEnvVars;

  # `foo.tar.gz` -> `foo`.
  stripArchiveSuffix = name: lib.removeSuffix ".tar" (lib.removeSuffix ".gz" name);

  # The shell script that uploads .deb files to an Aptly repository through its REST API
  # (create the repository if needed, upload, add, publish or re-publish).
  debianPackagePublish = pkgs.writeScriptBin "debian-package-publish" ''
    #!${pkgs.bash}/bin/bash
    # usage: debian-package-publish -d DISTRIBUTION -r REPOSITORY [DIRECTORY...]
    # Publishes every .deb of the directories (default /var/lib/packages) to $APTLY_URL.
    set -eu
    [ -n "''${DEBUG:-}" ] && set -x
    usage() { echo "usage: debian-package-publish -d DISTRIBUTION -r REPOSITORY [DIRECTORY...]" >&2; exit 1; }
    distribution= repository=
    while getopts d:r:h option; do
      case $option in
        d) distribution=$OPTARG ;;
        r) repository=$OPTARG ;;
        *) usage ;;
      esac
    done
    shift $((OPTIND - 1))
    [ -n "$distribution" ] && [ -n "$repository" ] || usage
    [ $# -gt 0 ] || set -- /var/lib/packages
    api=$APTLY_URL
    curl=${pkgs.curl}/bin/curl
    # Prints the HTTP status of a request.
    status() { "$curl" -sL -w "%{http_code}" -o /dev/null "$@"; }
    json() { status -H "Content-Type: application/json" "$@"; }
    fail() { echo "error: got http code $1 when $2" >&2; exit 2; }

    if [ "$(status "$api/repos/$repository")" = 200 ]; then
      echo "not creating repository $repository as it already exists"
    else
      code=$(json -X POST -d "{\"Name\": \"$repository\"}" "$api/repos")
      [ "$code" = 201 ] || fail "$code" "creating repository $repository"
    fi

    upload=$(${pkgs.util-linux or pkgs.utillinux}/bin/uuidgen)
    count=0
    for directory in "$@"; do
      for file in "$directory"/*.deb; do
        [ -f "$file" ] || continue
        "$curl" -sL -F "file=@$file" "$api/files/$upload" > /dev/null
        count=$((count + 1))
      done
    done
    echo "$count file(s) uploaded"

    code=$(json -X POST "$api/repos/$repository/file/$upload")
    [ "$code" = 200 ] || fail "$code" "adding the files to $repository"

    body="{\"Distribution\": \"$distribution\", \"Sources\": [{\"Name\": \"$repository\"}], \"Architectures\": [\"amd64\"], \"SourceKind\": \"local\"}"
    code=$(json -X POST -d "$body" "$api/publish/$repository")
    case $code in
      201) echo "published $repository ($distribution)" ;;
      400)
        code=$(json -X PUT -d '{"ForceOverwrite": true}' "$api/publish/$repository/$distribution")
        [ "$code" = 200 ] || fail "$code" "re-publishing $repository"
        echo "re-published $repository ($distribution)"
        ;;
      *) fail "$code" "publishing $repository" ;;
    esac
  '';
in
{
  inherit debianPackagePublish;

  # Pushes `image` to $REGISTRY_URL (default localhost:5000) under two tags:
  # `<commitId>-<output name>`, which says which commit of this repository built it (and differs
  # between CIs), and `<output hash>`, which is the same wherever it is built (use it to deploy).
  # Credentials come only from REGISTRY_USERNAME and REGISTRY_PASSWORD in the builder's
  # environment: Hydra has no input type for secrets.
  dockerPushImage =
    {
      image,
      commitId,
      unsetProxy ? false,
    }:
    let
      output = baseNameOf image.outPath;
      outputHash = builtins.substring 0 32 output;
      withCommit = "${image.imageName}:${commitId}-${output}";
      byHash = "${image.imageName}:${outputHash}";
      text = "Pushed image ${image.imageName} with content ${output}";
    in
    derivation (
      {
        name = "push-${stripArchiveSuffix image.name}";
        inherit (pkgs.stdenv) system;
        builder = "${pkgs.bash}/bin/bash";
        PATH = lib.makeBinPath [
          pkgs.coreutils
          pkgs.gzip
          pkgs.skopeo
        ];
        impureEnvVars = [
          "REGISTRY_URL"
          "REGISTRY_USERNAME"
          "REGISTRY_PASSWORD"
        ]
        ++ lib.optionals (!unsetProxy) proxyVariables;
        inherit text;
        args = [
          "-euc"
          ''
            registry=''${REGISTRY_URL:-localhost:5000}
            copyCreds=() inspectCreds=()
            if [ -n "''${REGISTRY_USERNAME:-}" ]; then
              copyCreds=(--dest-creds "$REGISTRY_USERNAME:''${REGISTRY_PASSWORD:-}")
              inspectCreds=(--creds "$REGISTRY_USERNAME:''${REGISTRY_PASSWORD:-}")
            fi
            # skopeo reads docker archives, not gzipped ones.
            gzip -d -c ${image} > image.tar
            echo "image.tar: $(du -h image.tar | cut -f1)"
            for ref in ${lib.escapeShellArg withCommit} ${lib.escapeShellArg byHash}; do
              skopeo --insecure-policy copy "''${copyCreds[@]}" --dest-tls-verify=false \
                --dest-cert-dir=/tmp docker-archive:image.tar "docker://$registry/$ref"
            done
            skopeo --insecure-policy inspect "''${inspectCreds[@]}" --tls-verify=false \
              --cert-dir=/tmp "docker://$registry/"${lib.escapeShellArg byHash}
            printf '%s' "$text" > "$out"
            :
          ''
        ];
      }
      // fixedText text
    );

  # Publishes the .deb `package` to the Aptly repository <repository>-<version>, distribution
  # trusty, at `aptlyUrl`.
  publishDebianPackage =
    {
      package,
      aptlyUrl,
      unsetProxy ? false,
    }:
    let
      text = "${package.name} published to ${aptlyUrl} in repository ${package.repository}";
    in
    derivation (
      {
        name = "publish-${package.name}";
        inherit (pkgs.stdenv) system;
        builder = "${pkgs.bash}/bin/bash";
        PATH = lib.makeBinPath [ pkgs.coreutils ];
        impureEnvVars = lib.optionals (!unsetProxy) proxyVariables;
        APTLY_URL = aptlyUrl;
        inherit text;
        args = [
          "-euc"
          ''
            mkdir packages
            ln -s ${package} packages/${package.name}
            echo "Publishing ${package.name} to $APTLY_URL ..."
            ${debianPackagePublish}/bin/debian-package-publish -d trusty \
              -r ${lib.escapeShellArg "${package.repository}-${package.version}"} packages
            printf '%s' "$text" > "$out"
            :
          ''
        ];
      }
      // fixedText text
    );
}
