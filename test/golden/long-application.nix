{
  fits = f alpha beta gamma;
  tooLong =
    lib.someFunction firstArgumentName secondArgumentName thirdArgumentName fourthArgumentName
      fifth;
}
