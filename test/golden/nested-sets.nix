{
  meta = {
    description = "d";
  };
  a.b.c = "x";
  empty = { };
  args = import ./lib { inherit pkgs; };
}
