{
  # first
  a = 1;

  # second group
  # over two lines
  b = [
    # an item
    x

    y
  ];
}
