{
  inherit (lib)
    alpha
    beta
    gamma
    delta
    epsilon
    ;
  inherit a b;
}
