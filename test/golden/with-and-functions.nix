{
  buildInputs = with pkgs; [
    a
    b
    c
    d
    e
  ];
  short = with lib; f x;
  curried = a: b: { sum = a + b; };
  formals =
    args@{
      pkgs,
      system ? builtins.currentSystem,
      ...
    }:
    pkgs;
  single = { pkgs }: pkgs.hello;
}
