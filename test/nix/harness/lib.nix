# The part of nixpkgs' `lib` that a package set is likely to use, with nixpkgs' names and
# semantics for the given era ("18.03" or "current"). Where the two eras differ (functionArgs,
# makeOverridable, callPackageWith, escapeShellArg, toINI, the version attributes), both
# behaviours are written out below.
{ era }:

let
  current = era == "current";

  lib = {
    inherit (builtins)
      all
      any
      attrNames
      attrValues
      concatLists
      concatStringsSep
      elem
      elemAt
      filter
      genList
      getAttr
      hasAttr
      head
      intersectAttrs
      isAttrs
      isBool
      isInt
      isList
      isString
      length
      listToAttrs
      mapAttrs
      match
      removeAttrs
      replaceStrings
      split
      stringLength
      substring
      tail
      toJSON
      toString
      ;

    # Trivial.
    id = x: x;
    const = x: _: x;
    flip =
      f: a: b:
      f b a;
    warn = msg: builtins.trace "${if current then "evaluation warning" else "warning"}: ${msg}";
    warnIf = cond: msg: if cond then lib.warn msg else x: x;
    throwIf = cond: msg: if cond then throw msg else x: x;
    assertMsg = pred: msg: pred || throw msg;
    fileContents = file: lib.removeSuffix "\n" (builtins.readFile file);
    isFunction = f: builtins.isFunction f || (f ? __functor && lib.isFunction (f.__functor f));
    setFunctionArgs = f: args: {
      __functor = self: f;
      __functionArgs = args;
    };

    # 18.03 only looks at `__functionArgs`, so it fails on a functor without one, as
    # builtins.functionArgs does; current nixpkgs unwraps `__functor`.
    functionArgs =
      if current then
        f:
        if f ? __functor then
          f.__functionArgs or (lib.functionArgs (f.__functor f))
        else
          builtins.functionArgs f
      else
        f: f.__functionArgs or (builtins.functionArgs f);

    # Lists.
    foldl' = builtins.foldl';
    foldl =
      op: nul: list:
      builtins.foldl' op nul list;
    foldr =
      op: nul: list:
      let
        len = builtins.length list;
        go = n: if n == len then nul else op (builtins.elemAt list n) (go (n + 1));
      in
      go 0;
    concatMap = f: list: builtins.concatLists (map f list);
    flatten = x: if builtins.isList x then lib.concatMap lib.flatten x else [ x ];
    optional = cond: elem: if cond then [ elem ] else [ ];
    optionals = cond: elems: if cond then elems else [ ];
    intersperse =
      separator: list:
      if list == [ ] || builtins.length list == 1 then
        list
      else
        builtins.tail (
          builtins.concatMap (x: [
            separator
            x
          ]) list
        );
    toList = x: if builtins.isList x then x else [ x ];
    last = list: builtins.elemAt list (builtins.length list - 1);
    init = list: lib.take (builtins.length list - 1) list;
    take = count: lib.sublist 0 count;
    sublist =
      start: count: list:
      let
        len = builtins.length list;
        n =
          if start >= len then
            0
          else if start + count > len then
            len - start
          else
            count;
      in
      builtins.genList (i: builtins.elemAt list (start + i)) n;
    range = first: last: builtins.genList (n: first + n) (last - first + 1);
    unique = builtins.foldl' (acc: e: if builtins.elem e acc then acc else acc ++ [ e ]) [ ];
    zipListsWith =
      f: fst: snd:
      builtins.genList (n: f (builtins.elemAt fst n) (builtins.elemAt snd n)) (
        lib.min (builtins.length fst) (builtins.length snd)
      );
    zipLists = lib.zipListsWith (fst: snd: { inherit fst snd; });
    imap0 = f: list: builtins.genList (n: f n (builtins.elemAt list n)) (builtins.length list);
    imap1 = f: list: builtins.genList (n: f (n + 1) (builtins.elemAt list n)) (builtins.length list);
    min = x: y: if x < y then x else y;
    max = x: y: if x > y then x else y;
    reverseList =
      xs:
      let
        l = builtins.length xs;
      in
      builtins.genList (n: builtins.elemAt xs (l - n - 1)) l;

    # Attribute sets.
    nameValuePair = name: value: { inherit name value; };
    genAttrs = names: f: builtins.listToAttrs (map (n: lib.nameValuePair n (f n)) names);
    getAttrs = names: attrs: lib.genAttrs names (name: attrs.${name});
    filterAttrs =
      pred: set:
      builtins.listToAttrs (
        builtins.concatMap (
          name:
          let
            v = set.${name};
          in
          if pred name v then [ (lib.nameValuePair name v) ] else [ ]
        ) (builtins.attrNames set)
      );
    mapAttrs' = f: set: builtins.listToAttrs (map (attr: f attr set.${attr}) (builtins.attrNames set));
    mapAttrsToList = f: attrs: map (name: f name attrs.${name}) (builtins.attrNames attrs);
    concatMapAttrs = f: v: lib.foldl' lib.mergeAttrs { } (lib.attrValues (builtins.mapAttrs f v));
    mergeAttrs = x: y: x // y;
    optionalAttrs = cond: as: if cond then as else { };
    attrByPath =
      attrPath: default: e:
      if attrPath == [ ] then
        e
      else if e ? ${builtins.head attrPath} then
        lib.attrByPath (builtins.tail attrPath) default e.${builtins.head attrPath}
      else
        default;
    hasAttrByPath =
      attrPath: e:
      attrPath == [ ]
      || (
        e ? ${builtins.head attrPath}
        && lib.hasAttrByPath (builtins.tail attrPath) e.${builtins.head attrPath}
      );
    getAttrFromPath =
      attrPath: set:
      lib.attrByPath attrPath (throw "cannot find attribute '${lib.concatStringsSep "." attrPath}'") set;
    setAttrByPath =
      attrPath: value:
      if attrPath == [ ] then
        value
      else
        { ${builtins.head attrPath} = lib.setAttrByPath (builtins.tail attrPath) value; };
    recursiveUpdateUntil =
      pred: lhs: rhs:
      let
        f =
          attrPath:
          lib.zipAttrsWith (
            n: values:
            let
              here = attrPath ++ [ n ];
            in
            if builtins.length values == 1 || pred here (builtins.elemAt values 1) (builtins.head values) then
              builtins.head values
            else
              f here values
          );
      in
      f
        [ ]
        [
          rhs
          lhs
        ];
    recursiveUpdate = lib.recursiveUpdateUntil (
      path: lhs: rhs:
      !(builtins.isAttrs lhs && builtins.isAttrs rhs)
    );
    zipAttrsWithNames =
      names: f: sets:
      lib.genAttrs names (name: f name (builtins.catAttrs name sets));
    zipAttrsWith =
      f: sets: lib.zipAttrsWithNames (lib.unique (builtins.concatMap builtins.attrNames sets)) f sets;
    isDerivation = value: builtins.isAttrs value && (value.type or null) == "derivation";
    collect =
      pred: attrs:
      if pred attrs then
        [ attrs ]
      else if builtins.isAttrs attrs then
        builtins.concatMap (lib.collect pred) (builtins.attrValues attrs)
      else
        [ ];

    # Strings.
    concatStrings = builtins.concatStringsSep "";
    concatMapStrings = f: list: lib.concatStrings (map f list);
    concatMapStringsSep =
      sep: f: list:
      builtins.concatStringsSep sep (map f list);
    concatImapStrings = f: list: lib.concatStrings (lib.imap1 f list);
    optionalString = cond: string: if cond then string else "";
    hasPrefix = pref: str: builtins.substring 0 (builtins.stringLength pref) str == pref;
    hasSuffix =
      suffix: content:
      let
        lenContent = builtins.stringLength content;
        lenSuffix = builtins.stringLength suffix;
      in
      lenContent >= lenSuffix && builtins.substring (lenContent - lenSuffix) lenContent content == suffix;
    hasInfix = infix: content: builtins.match ".*${lib.escapeRegex infix}.*" "${content}" != null;
    removePrefix =
      prefix: str:
      let
        preLen = builtins.stringLength prefix;
      in
      if lib.hasPrefix prefix str then
        builtins.substring preLen (builtins.stringLength str - preLen) str
      else
        str;
    removeSuffix =
      suffix: str:
      let
        sufLen = builtins.stringLength suffix;
        sLen = builtins.stringLength str;
      in
      if sufLen <= sLen && suffix == builtins.substring (sLen - sufLen) sufLen str then
        builtins.substring 0 (sLen - sufLen) str
      else
        str;
    stringToCharacters = s: builtins.genList (i: builtins.substring i 1 s) (builtins.stringLength s);
    lowerChars = lib.stringToCharacters "abcdefghijklmnopqrstuvwxyz";
    upperChars = lib.stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    toLower = builtins.replaceStrings lib.upperChars lib.lowerChars;
    toUpper = builtins.replaceStrings lib.lowerChars lib.upperChars;
    escape = list: builtins.replaceStrings list (map (c: "\\${c}") list);
    escapeRegex = lib.escape (lib.stringToCharacters "\\[{()^$?*+|.");
    splitString =
      sep: s:
      builtins.filter builtins.isString (builtins.split (lib.escapeRegex sep) (builtins.toString s));
    # Current nixpkgs leaves strings of safe characters unquoted.
    escapeShellArg =
      arg:
      let
        string = builtins.toString arg;
        quoted = "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] string}'";
      in
      if current && builtins.match "[[:alnum:],._+:@%/-]+" string != null then string else quoted;
    escapeShellArgs = lib.concatMapStringsSep " " lib.escapeShellArg;
    makeSearchPath =
      subDir: paths:
      builtins.concatStringsSep ":" (
        map (path: path + "/" + subDir) (builtins.filter (x: x != null) paths)
      );
    makeBinPath = lib.makeSearchPath "bin";
    makeLibraryPath = lib.makeSearchPath "lib";
    fixedWidthString =
      width: filler: str:
      let
        strw = builtins.stringLength str;
      in
      if strw >= width then
        str
      else
        lib.concatStrings (builtins.genList (_: filler) (width - strw)) + str;
    versionOlder = v1: v2: builtins.compareVersions v2 v1 == 1;
    versionAtLeast = v1: v2: !lib.versionOlder v1 v2;
    getName = x: (builtins.parseDrvName (x.name or x)).name;
    getVersion = x: (builtins.parseDrvName (x.name or x)).version;
    toInt =
      str:
      let
        may = builtins.fromJSON str;
      in
      if builtins.isInt may then may else throw "Could not convert ${str} to int.";

    # Fixed points.
    fix =
      f:
      let
        x = f x;
      in
      x;
    extends =
      f: rattrs: self:
      let
        super = rattrs self;
      in
      super // f self super;
    composeExtensions =
      f: g: self: super:
      let
        fApplied = f self super;
        super' = super // fApplied;
      in
      fApplied // g self super';
    makeExtensible =
      rattrs:
      lib.fix (
        self:
        rattrs self
        // {
          extend = f: lib.makeExtensible (lib.extends f rattrs);
        }
      );

    # Derivations.
    overrideDerivation =
      drv: f:
      let
        newDrv = derivation (drv.drvAttrs // (f drv));
      in
      newDrv
      // {
        meta = drv.meta or { };
        passthru = if drv ? passthru then drv.passthru else { };
      };
    extendDerivation =
      condition: passthru: drv:
      assert condition;
      drv // passthru;

    # The result of `f origArgs` gains `override` (and `overrideDerivation`, `overrideAttrs`).
    # A function result becomes a functor; current nixpkgs also mirrors the arguments of `f`
    # on the wrapper and on that functor (`__functionArgs`), 18.03 does neither.
    makeOverridable =
      if current then
        f:
        let
          mirrorArgs = g: lib.setFunctionArgs g (lib.functionArgs f);
        in
        mirrorArgs (
          origArgs:
          let
            result = f origArgs;
            overrideWith = newArgs: origArgs // (if lib.isFunction newArgs then newArgs origArgs else newArgs);
            overrideResult = g: lib.makeOverridable (mirrorArgs (args: g (f args))) origArgs;
          in
          if builtins.isAttrs result && !(result ? __functor) then
            result
            // {
              override = newArgs: lib.makeOverridable f (overrideWith newArgs);
              overrideDerivation = fdrv: overrideResult (x: lib.overrideDerivation x fdrv);
              ${if result ? overrideAttrs then "overrideAttrs" else null} =
                fdrv: overrideResult (x: x.overrideAttrs fdrv);
            }
          else if lib.isFunction result then
            lib.setFunctionArgs result (lib.functionArgs result)
            // {
              override = newArgs: lib.makeOverridable f (overrideWith newArgs);
            }
          else
            result
        )
      else
        f: origArgs:
        let
          ff = f origArgs;
          overrideWith =
            newArgs: origArgs // (if builtins.isFunction newArgs then newArgs origArgs else newArgs);
        in
        if builtins.isAttrs ff then
          ff
          // {
            override = newArgs: lib.makeOverridable f (overrideWith newArgs);
            overrideDerivation =
              fdrv: lib.makeOverridable (args: lib.overrideDerivation (f args) fdrv) origArgs;
            ${if ff ? overrideAttrs then "overrideAttrs" else null} =
              fdrv: lib.makeOverridable (args: (f args).overrideAttrs fdrv) origArgs;
          }
        else if builtins.isFunction ff then
          {
            override = newArgs: lib.makeOverridable f (overrideWith newArgs);
            __functor = self: ff;
            overrideDerivation = throw "overrideDerivation not yet supported for functors";
          }
        else
          ff;

    # Fills the formal arguments of `fn` (a function or a file) from `autoArgs`, then `args`.
    # Current nixpkgs aborts, naming the argument, when a required one is still missing.
    callPackageWith =
      autoArgs: fn: args:
      let
        f = if lib.isFunction fn then fn else import fn;
        fargs = lib.functionArgs f;
        allArgs = builtins.intersectAttrs fargs autoArgs // args;
        missing = builtins.attrNames (
          lib.filterAttrs (n: v: !v) (builtins.removeAttrs fargs (builtins.attrNames allArgs))
        );
      in
      if current && missing != [ ] then
        abort "lib.customisation.callPackageWith: Function called without required argument \"${builtins.head missing}\""
      else
        lib.makeOverridable f allArgs;

    # Like callPackageWith for a function returning a set: every attribute is overridable on
    # its own. Current nixpkgs refuses a function that returns one derivation.
    callPackagesWith =
      autoArgs: fn: args:
      let
        f = if lib.isFunction fn then fn else import fn;
        auto = builtins.intersectAttrs (lib.functionArgs f) autoArgs;
        origArgs = auto // args;
        pkgs = f origArgs;
        mkAttrOverridable =
          name: _:
          lib.makeOverridable (
            if current then
              lib.setFunctionArgs (newArgs: (f newArgs).${name}) (lib.functionArgs f)
            else
              newArgs: (f newArgs).${name}
          ) origArgs;
      in
      if current && lib.isDerivation pkgs then
        throw "function `callPackages` was called on a *single* derivation \"${pkgs.name or "<unknown-name>"}\"; did you mean to use `callPackage` instead?"
      else
        builtins.mapAttrs mkAttrOverridable pkgs;

    generators =
      let
        mkValueStringDefault =
          v:
          if builtins.isInt v || builtins.isFloat v then
            builtins.toString v
          else if builtins.isString v then
            v
          else if true == v then
            "true"
          else if false == v then
            "false"
          else if null == v then
            "null"
          else
            throw "generators.mkValueStringDefault: ${builtins.typeOf v} not supported";
        # 18.03 takes the separator first and prints values with toString; current first takes
        # `{ mkValueString }` and prints booleans as true/false.
        mkKeyValueDefault =
          if current then
            {
              mkValueString ? mkValueStringDefault,
            }:
            sep: k: v:
            "${lib.escape [ sep ] k}${sep}${mkValueString v}"
          else
            sep: k: v:
            "${lib.escape [ sep ] k}${sep}${builtins.toString v}";
        defaultKeyValue = if current then mkKeyValueDefault { } "=" else mkKeyValueDefault "=";
        toKeyValue =
          {
            mkKeyValue ? defaultKeyValue,
          }:
          attrs: lib.concatStrings (lib.mapAttrsToList (k: v: mkKeyValue k v + "\n") attrs);
        mkSection =
          mkSectionName: mkKeyValue: sectName: sectValues:
          "[${mkSectionName sectName}]\n" + toKeyValue { inherit mkKeyValue; } sectValues;
        defaultSectionName = name: lib.escape [ "[" "]" ] name;
      in
      {
        inherit mkKeyValueDefault toKeyValue;
        toJSON = { }: builtins.toJSON;
        toYAML = { }: builtins.toJSON;
        toINI =
          if current then
            {
              mkSectionName ? defaultSectionName,
              mkKeyValue ? defaultKeyValue,
              listsAsDuplicateKeys ? false,
            }:
            attrsOfAttrs:
            let
              expand =
                k: v:
                if listsAsDuplicateKeys && builtins.isList v then
                  lib.concatMapStrings (x: mkKeyValue k x + "\n") v
                else
                  mkKeyValue k v + "\n";
            in
            lib.concatStringsSep "\n" (
              lib.mapAttrsToList (
                name: values: "[${mkSectionName name}]\n" + lib.concatStrings (lib.mapAttrsToList expand values)
              ) attrsOfAttrs
            )
          else
            {
              mkSectionName ? defaultSectionName,
              mkKeyValue ? defaultKeyValue,
            }:
            attrsOfAttrs:
            lib.concatStringsSep "\n" (lib.mapAttrsToList (mkSection mkSectionName mkKeyValue) attrsOfAttrs);
      };

    fetchers = {
      proxyImpureEnvVars = [
        "http_proxy"
        "https_proxy"
        "ftp_proxy"
        "all_proxy"
        "no_proxy"
      ]
      ++ lib.optionals current [
        "HTTP_PROXY"
        "HTTPS_PROXY"
        "FTP_PROXY"
        "ALL_PROXY"
        "NO_PROXY"
        "NIX_SSL_CERT_FILE"
      ];
    }
    // lib.optionalAttrs current {
      # A fetcher taking `outputHash`/`outputHashAlgo` becomes one taking exactly one of `hash`
      # or the names in `hashTypes`, as a functor advertising `hash` only.
      normalizeHash =
        {
          hashTypes ? [ "sha256" ],
          required ? true,
        }:
        args:
        let
          names = [ "hash" ] ++ hashTypes;
          given = builtins.filter (n: args ? ${n}) names;
          name = builtins.head given;
        in
        if args ? outputHash then
          args
        else if given == [ ] then
          (if required then throw "fetcher called without `hash`" else args)
        else if builtins.tail given != [ ] then
          throw "fetcher called with mutually-incompatible arguments: ${lib.concatStringsSep ", " given}"
        else
          builtins.removeAttrs args names
          // {
            outputHashAlgo = if name == "hash" then null else name;
            outputHash = args.${name};
          };
      withNormalizedHash =
        {
          hashTypes ? [ "sha256" ],
        }:
        fetcher:
        let
          fArgs = lib.functionArgs fetcher;
          normalize = lib.fetchers.normalizeHash {
            inherit hashTypes;
            required = !fArgs.outputHash;
          };
        in
        lib.setFunctionArgs (args: fetcher (normalize args)) (
          builtins.removeAttrs fArgs [
            "outputHash"
            "outputHashAlgo"
          ]
          // {
            hash = fArgs.outputHash;
          }
        );
    };

    licenses =
      lib.genAttrs
        [
          "asl20"
          "bsd2"
          "bsd3"
          "free"
          "gpl2"
          "gpl2Plus"
          "gpl3"
          "gpl3Plus"
          "lgpl21"
          "mit"
          "mpl20"
          "unfree"
          "bsl11"
        ]
        (shortName: {
          inherit shortName;
          # As in nixpkgs: the Business Source License is not free.
          free = shortName != "unfree" && shortName != "bsl11";
        });
    platforms = {
      linux = [ "x86_64-linux" ];
      unix = [ "x86_64-linux" ];
      all = [ "x86_64-linux" ];
    };
    maintainers = { };
  }
  // (
    if current then
      {
        version = "25.11pre-harness";
        trivial = lib // {
          release = "25.11";
          version = lib.version;
        };
      }
    else
      {
        nixpkgsVersion = "18.03pre-harness";
        trivial = lib // {
          release = "18.03";
        };
      }
  )
  // {
    # The sub-libraries give the same functions under nixpkgs' grouping names.
    strings = lib;
    attrsets = lib;
    lists = lib;
    customisation = lib;
    fixedPoints = lib;
  };
in
lib
