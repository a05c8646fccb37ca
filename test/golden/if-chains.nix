{
  short = if c then 1 else 2;
  chain =
    x:
    if x == 1 then
      "one"
    else if x == 2 then
      "two"
    else
      "many";
  longCondition =
    if someCondition withArgument && anotherCondition withAnotherArgument andOneMore alsoThis then
      [
        a
        b
      ]
    else
      null;
}
