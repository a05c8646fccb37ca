{
  flags = [
    "-a"
    "-b"
  ]
  ++ lib.optionals withSomethingEnabled [ "--enable-something-quite-long" ]
  ++ [ "--last-flag-that-is-long" ];
  sum = 1 - 2 + 3 * (4 + 5);
}
