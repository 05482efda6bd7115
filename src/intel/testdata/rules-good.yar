import "pe"

rule sample_tutma_cookie : c2 {
  meta:
    severity = "high"
    description = "3CX beacon cookie strings"
  strings:
    $a = "__tutma" ascii wide
    $b = "__tutmc" ascii wide
  condition:
    any of them
}

rule sample_pe_small {
  condition:
    pe.is_pe and filesize < 10KB
}
