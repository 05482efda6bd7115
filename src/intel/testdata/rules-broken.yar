rule broken_one {
  strings:
    $a = "x"
  condition:
    $a and $b
}
