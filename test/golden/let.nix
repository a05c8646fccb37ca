let
  x = 1;
  y = { inherit x; };
in
y // { z = x; }
