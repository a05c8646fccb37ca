{
  src = fetchurl {
    url = "http://x";
    sha256 = "0";
  };
  script = writeShellScriptBin "name" ''
    echo a
    echo b
  '';
  parenthesised = lib.optionals cond (
    someLongFunctionName withAVeryLongArgumentName andAnotherVeryLongArgumentName more
  );
}
