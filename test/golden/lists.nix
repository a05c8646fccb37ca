{
  short = [
    a
    b
  ];
  long = [
    a
    b
    c
    d
    e
  ];
  mixed = [
    a
    (f x)
  ];
  empty = [ ];
}
