# fetchurl, fetchzip, fetchFromGitHub and fetchgit with each era's arguments. Nothing can be
# fetched offline: each checks the pin it is given is well formed and builds a stand-in tree,
# a directory whose `.harness-fetched` file (and `description` attribute) says what would have
# been fetched. An empty hash (nixpkgs' "fake hash") evaluates and fails at build time.
{
  era,
  lib,
  runBash,
}:

let
  current = era == "current";

  base32Or16 = "[0-9a-df-np-sv-z]{52}|[0-9a-f]{64}";
  sri = "(sha1|sha256|sha512)-[A-Za-z0-9+/]+={0,2}";

  # `sha256 = ...`: base-32 or hex (and, in current nixpkgs, SRI as well).
  checkSha256 =
    what: hash:
    if
      hash == "" || builtins.match base32Or16 hash != null || (current && builtins.match sri hash != null)
    then
      "sha256:${hash}"
    else
      throw "${what}: sha256 must be a base-32 (52 characters) or hex (64) SHA-256, got '${hash}'";

  checkSri =
    what: hash:
    if hash == "" || builtins.match sri hash != null then
      hash
    else
      throw "${what}: hash must be an SRI hash (sha256-<base64>), got '${hash}'";

  # The stand-in for fetched content.
  fetchedStandIn =
    name: description:
    runBash name { inherit description; } ''
      case "$description" in
        *" sha256:" | *" hash:" | *" ")
          echo "$name: no hash was given (nixpkgs' fake hash); the real fetcher would report the hash it got" >&2
          exit 1 ;;
      esac
      mkdir -p "$out"
      printf '%s\n' "$description" > "$out/.harness-fetched"
    ''
    // {
      inherit description;
    };

  # A callPackage'd builder: a functor, carrying `__functionArgs` only in current nixpkgs.
  callPackaged = f: lib.makeOverridable (_: f) { };

  # The pin of one hash argument of the current fetchers (after withNormalizedHash).
  normalizedPin =
    what: args:
    if args.outputHashAlgo == null then
      "hash:${checkSri what args.outputHash}"
    else
      checkSha256 what args.outputHash;

  urlToName =
    url: rev:
    let
      base = baseNameOf (lib.removeSuffix "/" url);
      matched = builtins.match "(.*)\\.git" base;
      short = builtins.substring 0 7 rev;
      appendShort = if builtins.match "[a-f0-9]*" rev != null then "-${short}" else "";
    in
    "${if matched == null then base else builtins.head matched}${appendShort}";

  fetchers =
    if current then
      rec {
        fetchurl = lib.setFunctionArgs fetchurlFormals (lib.functionArgs fetchurlFormals);
        fetchurlFormals =
          {
            curlOpts ? "",
            curlOptsList ? [ ],
            derivationArgs ? { },
            downloadToTemp ? false,
            executable ? false,
            hash ? "",
            meta ? { },
            name ? null,
            nativeBuildInputs ? [ ],
            netrcImpureEnvVars ? [ ],
            netrcPhase ? null,
            outputHash ? "",
            outputHashAlgo ? "",
            passthru ? { },
            pname ? null,
            postFetch ? "",
            preferLocalBuild ? true,
            recursiveHash ? false,
            sha1 ? "",
            sha256 ? "",
            sha512 ? "",
            showURLs ? false,
            url ? "",
            urls ? [ ],
            version ? null,
          }:
          let
            allUrls = if url != "" then [ url ] else urls;
            hashes = lib.filterAttrs (n: v: v != "") {
              inherit
                hash
                outputHash
                sha1
                sha256
                sha512
                ;
            };
            pin =
              if hashes ? hash then
                "hash:${checkSri "fetchurl" hash}"
              else if hashes ? sha256 then
                checkSha256 "fetchurl" sha256
              else if hashes ? outputHash then
                "${outputHashAlgo}:${outputHash}"
              else
                lib.concatStrings (lib.mapAttrsToList (n: v: "${n}:${v}") hashes);
            drvName =
              if pname != null && version != null then
                "${pname}-${version}"
              else if name != null then
                name
              else
                baseNameOf (builtins.head allUrls);
          in
          assert lib.assertMsg (
            (url != "") != (urls != [ ])
          ) "fetchurl requires either `url` or `urls` to be set";
          assert lib.assertMsg (builtins.length (builtins.attrNames hashes) <= 1)
            "fetchurl does not support multiple hashes: ${lib.concatStringsSep ", " (builtins.attrNames hashes)}";
          fetchedStandIn drvName "fetchurl ${lib.concatStringsSep " " allUrls} ${pin}"
          // {
            harnessPin = pin;
            url = builtins.head allUrls;
            inherit meta;
          }
          // passthru;

        fetchzip = lib.setFunctionArgs fetchzipFormals (
          lib.functionArgs fetchurlFormals // lib.functionArgs fetchzipFormals
        );
        fetchzipFormals =
          {
            name ? "source",
            url ? "",
            urls ? [ ],
            nativeBuildInputs ? [ ],
            postFetch ? "",
            extraPostFetch ? "",
            extension ? null,
            stripRoot ? true,
            derivationArgs ? { },
            ...
          }@args:
          let
            inner = fetchurl (
              builtins.removeAttrs args [
                "stripRoot"
                "extraPostFetch"
                "extension"
              ]
              // {
                inherit name;
                recursiveHash = true;
                downloadToTemp = true;
              }
            );
          in
          lib.warnIf (extraPostFetch != "") "use 'postFetch' instead of 'extraPostFetch' with 'fetchzip'" (
            fetchedStandIn name "fetchzip ${if url != "" then url else builtins.head urls} ${inner.harnessPin}"
            // {
              inherit (inner) harnessPin;
            }
          );

        fetchFromGitHub = lib.makeOverridable (
          lib.setFunctionArgs fetchFromGitHubFormals (
            lib.functionArgs fetchFromGitHubFormals
            // {
              deepClone = true;
              fetchLFS = true;
              forceFetchGit = true;
              leaveDotGit = true;
              postCheckout = true;
              rootDir = true;
              sparseCheckout = true;
            }
          )
        );
        fetchFromGitHubFormals =
          {
            owner,
            repo,
            tag ? null,
            rev ? null,
            name ? "source",
            fetchSubmodules ? false,
            private ? false,
            githubBase ? "github.com",
            varPrefix ? null,
            passthru ? { },
            meta ? { },
            functionName ? "fetchFromGitHub",
            ...
          }@args:
          assert lib.assertMsg (
            (tag == null) != (rev == null)
          ) "fetchFromGitHub requires one of either `rev` or `tag` to be provided (not both).";
          let
            revWithTag = if tag != null then "refs/tags/${tag}" else rev;
            useFetchGit =
              fetchSubmodules
              || builtins.any (n: args ? ${n}) [
                "deepClone"
                "fetchLFS"
                "forceFetchGit"
                "leaveDotGit"
                "postCheckout"
                "rootDir"
                "sparseCheckout"
              ];
            rest = builtins.removeAttrs args [
              "owner"
              "repo"
              "tag"
              "rev"
              "private"
              "githubBase"
              "varPrefix"
              "passthru"
              "meta"
              "functionName"
              "forceFetchGit"
            ];
            inner =
              if useFetchGit then
                fetchgit (
                  rest
                  // {
                    url = "https://${githubBase}/${owner}/${repo}.git";
                    rev = revWithTag;
                  }
                )
              else
                fetchzip (rest // { url = "https://${githubBase}/${owner}/${repo}/archive/${revWithTag}.tar.gz"; });
          in
          fetchedStandIn name "github:${owner}/${repo}/${
            if tag != null then tag else rev
          } ${inner.harnessPin}"
          // passthru
          // {
            inherit (inner) harnessPin;
            inherit
              owner
              repo
              githubBase
              tag
              ;
            rev = revWithTag;
            gitRepoUrl = "https://${githubBase}/${owner}/${repo}.git";
            meta = {
              homepage = "https://${githubBase}/${owner}/${repo}/";
            }
            // meta;
          };

        fetchgit = lib.makeOverridable (lib.fetchers.withNormalizedHash { } fetchgitFormals);
        fetchgitFormals =
          {
            url,
            tag ? null,
            rev ? null,
            leaveDotGit ? null,
            outputHash ? "",
            outputHashAlgo ? null,
            fetchSubmodules ? true,
            deepClone ? false,
            branchName ? null,
            sparseCheckout ? [ ],
            nonConeMode ? false,
            name ? null,
            postFetch ? "",
            preFetch ? "",
            nativeBuildInputs ? [ ],
            meta ? { },
            allowedRequisites ? null,
            fetchLFS ? false,
            fetchTags ? false,
            rootDir ? "",
            postCheckout ? "",
            preferLocalBuild ? true,
            derivationArgs ? { },
            netrcPhase ? null,
            netrcImpureEnvVars ? [ ],
            gitConfigFile ? null,
            passthru ? { },
          }:
          assert lib.assertMsg (
            tag == null || rev == null
          ) "fetchgit requires one of either `rev` or `tag` to be provided (not both).";
          let
            revWithTag =
              if tag != null then
                "refs/tags/${tag}"
              else if rev != null then
                rev
              else
                "HEAD";
            pin = normalizedPin "fetchgit" { inherit outputHash outputHashAlgo; };
          in
          fetchedStandIn (
            if name != null then name else urlToName url revWithTag
          ) "git:${url}@${revWithTag} ${pin}"
          // passthru
          // {
            harnessPin = pin;
            rev = revWithTag;
            inherit url tag;
            gitRepoUrl = url;
          };
      }
    else
      rec {
        fetchurl =
          {
            url ? "",
            urls ? [ ],
            curlOpts ? "",
            name ? "",
            outputHash ? "",
            outputHashAlgo ? "",
            md5 ? "",
            sha1 ? "",
            sha256 ? "",
            sha512 ? "",
            recursiveHash ? false,
            netrcPhase ? null,
            netrcImpureEnvVars ? [ ],
            postFetch ? "",
            downloadToTemp ? false,
            executable ? false,
            showURLs ? false,
            meta ? { },
          }:
          let
            allUrls = if url != "" then [ url ] else urls;
            pin =
              if outputHash != "" then
                "${outputHashAlgo}:${outputHash}"
              else if sha512 != "" then
                "sha512:${sha512}"
              else if sha256 != "" then
                checkSha256 "fetchurl" sha256
              else if sha1 != "" then
                "sha1:${sha1}"
              else
                throw "fetchurl requires a hash for fixed-output derivation: ${lib.concatStringsSep ", " allUrls}";
          in
          assert (url != "") != (urls != [ ]);
          assert md5 == "" || throw "fetchurl does not support md5 anymore, please use sha256 or sha512";
          fetchedStandIn (if name != "" then name else baseNameOf (builtins.head allUrls)) (
            "fetchurl ${lib.concatStringsSep " " allUrls} ${pin}"
          )
          // {
            harnessPin = pin;
            inherit meta;
          };

        fetchzip = callPackaged (
          {
            stripRoot ? true,
            url,
            extraPostFetch ? "",
            name ? "source",
            ...
          }@args:
          let
            inner = fetchurl (
              {
                inherit name;
                recursiveHash = true;
                downloadToTemp = true;
              }
              // builtins.removeAttrs args [
                "stripRoot"
                "extraPostFetch"
              ]
            );
          in
          fetchedStandIn name "fetchzip ${url} ${inner.harnessPin}" // { inherit (inner) harnessPin; }
        );

        # Written inline in all-packages.nix in 18.03: a plain lambda.
        fetchFromGitHub =
          {
            owner,
            repo,
            rev,
            name ? "source",
            fetchSubmodules ? false,
            private ? false,
            githubBase ? "github.com",
            varPrefix ? null,
            ...
          }@args:
          let
            passthruAttrs = builtins.removeAttrs args [
              "owner"
              "repo"
              "rev"
              "fetchSubmodules"
              "private"
              "githubBase"
              "varPrefix"
            ];
            inner =
              if fetchSubmodules then
                fetchgit (
                  {
                    inherit name rev fetchSubmodules;
                    url = "https://${githubBase}/${owner}/${repo}.git";
                  }
                  // passthruAttrs
                )
              else
                fetchzip (
                  {
                    inherit name;
                    url = "https://${githubBase}/${owner}/${repo}/archive/${rev}.tar.gz";
                  }
                  // passthruAttrs
                );
          in
          fetchedStandIn name "github:${owner}/${repo}/${rev} ${inner.harnessPin}"
          // {
            inherit (inner) harnessPin;
            inherit rev;
            meta.homepage = "https://${githubBase}/${owner}/${repo}/";
          };

        fetchgit = callPackaged (
          {
            url,
            rev ? "HEAD",
            md5 ? "",
            sha256 ? "",
            leaveDotGit ? deepClone,
            fetchSubmodules ? true,
            deepClone ? false,
            branchName ? null,
            name ? urlToName url rev,
            postFetch ? "",
          }:
          assert deepClone -> leaveDotGit;
          let
            pin =
              if md5 != "" then
                throw "fetchgit does not support md5 anymore, please use sha256"
              else
                checkSha256 "fetchgit" sha256;
          in
          fetchedStandIn name "git:${url}@${rev} ${pin}"
          // {
            harnessPin = pin;
            inherit url rev;
          }
        );
      };
in
builtins.removeAttrs fetchers [
  "fetchurlFormals"
  "fetchzipFormals"
  "fetchFromGitHubFormals"
  "fetchgitFormals"
]
// {
  inherit fetchedStandIn checkSha256;
}
