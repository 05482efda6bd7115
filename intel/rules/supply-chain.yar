/*
  Vigil bundled YARA rules: traits of the supply-chain incidents in the bundled pack.
  Written by the Vigil project from the public facts in ../shared/intel/incidents.md (byte values and
  strings only; no rule text copied). Every rule is tested on a harmless look-alike built by
  scripts/fixtures/rules/build-lookalikes.ts and on a clean twin that must not match.

  Meta: severity (critical|high|medium|low|info), confidence (high|medium|low): a match alone is at
  most high unless severity is critical and confidence high. campaign/actor/malware name the context.
*/

rule Vigil_3CX_D3DCompiler_Doubled_Marker : windows loader
{
  meta:
    description = "3CX SmoothOperator: d3dcompiler_47.dll carrying the doubled FEEDFACE marker before its encrypted payload"
    severity = "critical"
    confidence = "high"
    campaign = "3CX SmoothOperator"
    actor = "Labyrinth Chollima / UNC4736"
    malware = "SUDDENICON"
    reference = "https://www.elastic.co/security-labs/elastic-users-protected-from-suddenicon-supply-chain-attack"
  strings:
    $marker = { FE ED FA CE FE ED FA CE }
    $pdb = "D3DCompiler_47.pdb" ascii
  condition:
    uint16(0) == 0x5A4D and $marker and $pdb
}

rule Vigil_3CX_FFmpeg_Marker_Search : windows loader
{
  meta:
    description = "3CX SmoothOperator: ffmpeg.dll code comparing bytes against the FE ED FA CE payload marker"
    severity = "critical"
    confidence = "medium"
    campaign = "3CX SmoothOperator"
    actor = "Labyrinth Chollima / UNC4736"
    malware = "SUDDENICON"
    reference = "https://www.volexity.com/blog/2023/03/30/3cx-supply-chain-compromise-leads-to-iconic-incident/"
  strings:
    $cmp_r8 = { 41 80 7C 00 ?? FE 75 ?? 41 80 7C 00 ?? ED 75 ?? 41 80 7C 00 ?? FA 75 ?? 41 80 3C 00 CE }
    $cmp_rax = { 80 78 ?? FE 75 ?? 80 78 ?? ED 75 ?? 80 38 FA 75 ?? 80 78 ?? CE }
  condition:
    uint16(0) == 0x5A4D and filesize < 5MB and any of them
}

rule Vigil_3CX_IconStorages_URL : windows c2
{
  meta:
    description = "3CX SmoothOperator: the GitHub IconStorages icon URL used to find C2 servers"
    severity = "critical"
    confidence = "high"
    campaign = "3CX SmoothOperator"
    actor = "Labyrinth Chollima / UNC4736"
    malware = "SUDDENICON"
    reference = "https://www.elastic.co/security-labs/elastic-users-protected-from-suddenicon-supply-chain-attack"
  strings:
    $url = "raw.githubusercontent.com/IconStorages/images/main/icon%d.ico" ascii wide
    $repo = "github.com/IconStorages" ascii wide nocase
  condition:
    (uint16(0) == 0x5A4D or uint32(0) == 0xFEEDFACF or uint32(0) == 0xBEBAFECA)
    and (uint32(0) != 0xBEBAFECA or uint32be(4) < 0x20) // a universal binary, not a Java class
    and any of them
}

rule Vigil_3CX_Tutma_Cookies : c2
{
  meta:
    description = "3CX SmoothOperator: the __tutma / __tutmc beacon cookie names in an executable"
    severity = "high"
    confidence = "medium"
    campaign = "3CX SmoothOperator"
    actor = "Labyrinth Chollima / UNC4736"
    reference = "https://www.volexity.com/blog/2023/03/30/3cx-supply-chain-compromise-leads-to-iconic-incident/"
  strings:
    $tutma = "__tutma" ascii wide
    $tutmc = "__tutmc" ascii wide
  condition:
    (uint16(0) == 0x5A4D or uint32(0) == 0xFEEDFACF or uint32(0) == 0xBEBAFECA or uint32(0) == 0x464C457F)
    and (uint32(0) != 0xBEBAFECA or uint32be(4) < 0x20) // a universal binary, not a Java class
    and $tutma and $tutmc
}

rule Vigil_3CX_macOS_Auth_Token_XOR : macos c2
{
  meta:
    description = "3CX SmoothOperator: libffmpeg.dylib beacon format string, single-byte-XOR encoded"
    severity = "critical"
    confidence = "high"
    campaign = "3CX SmoothOperator"
    actor = "Labyrinth Chollima / UNC4736"
    reference = "https://www.volexity.com/blog/2023/03/30/3cx-supply-chain-compromise-leads-to-iconic-incident/"
  strings:
    $fmt = ";3cx_auth_token_content=%s;__tutma=" xor(0x01-0xff)
  condition:
    // Thin 64-bit or universal Mach-O. CA FE BA BE also starts every Java class file: a universal
    // binary has a handful of architectures where a class file has its version (45 and up).
    (uint32(0) == 0xFEEDFACF or uint32(0) == 0xBEBAFECA)
    and (uint32(0) != 0xBEBAFECA or uint32be(4) < 0x20)
    and $fmt
}

rule Vigil_3CX_RC4_Key : windows loader
{
  meta:
    description = "3CX SmoothOperator: the static RC4 key used to decrypt the payload in d3dcompiler_47.dll"
    severity = "high"
    confidence = "medium"
    campaign = "3CX SmoothOperator"
    actor = "Labyrinth Chollima / UNC4736"
    reference = "https://www.elastic.co/security-labs/elastic-users-protected-from-suddenicon-supply-chain-attack"
  strings:
    $key = "3jB(2bsG#@c7" ascii
  condition:
    (uint16(0) == 0x5A4D or uint32(0) == 0xE011CFD0) and $key
}

rule Vigil_3CX_ICO_Appended_C2 : c2
{
  meta:
    description = "3CX SmoothOperator: icon file with a '$'-prefixed base64 blob after the PNG IEND chunk"
    severity = "high"
    confidence = "medium"
    campaign = "3CX SmoothOperator"
    actor = "Labyrinth Chollima / UNC4736"
    reference = "https://www.volexity.com/blog/2023/03/30/3cx-supply-chain-compromise-leads-to-iconic-incident/"
  strings:
    $iend_dollar = { 49 45 4E 44 AE 42 60 82 24 }
  condition:
    uint16be(0) == 0x0000 and uint16(2) == 1 and filesize < 120KB
    and $iend_dollar in (filesize - 500 .. filesize)
}

rule Vigil_XZ_Backdoor_Function_Prologue : linux backdoor
{
  meta:
    description = "xz-utils CVE-2024-3094: the backdoored liblzma function prologue that detect.sh looks for"
    severity = "critical"
    confidence = "high"
    campaign = "xz-utils backdoor (CVE-2024-3094)"
    malware = "xz-utils liblzma backdoor"
    reference = "https://www.openwall.com/lists/oss-security/2024/03/29/4"
  strings:
    $prologue = { F3 0F 1E FA 55 48 89 F5 4C 89 CE 53 89 FB 81 E7 00 00 00 80 48 83 EC 28 48 89 54 24 18 48 89 4C 24 10 }
  condition:
    uint32(0) == 0x464C457F and $prologue
}

rule Vigil_XZ_Backdoor_Ed448_Key : linux backdoor
{
  meta:
    description = "xz-utils CVE-2024-3094: the attacker's Ed448 public key embedded in liblzma"
    severity = "critical"
    confidence = "high"
    campaign = "xz-utils backdoor (CVE-2024-3094)"
    malware = "xz-utils liblzma backdoor"
    reference = "https://github.com/amlweems/xzbot"
  strings:
    $key = { 0A 31 FD 3B 2F 1F C6 92 92 68 32 52 C8 C1 AC 28 34 D1 F2 C9 75 C4 76 5E B1 F6 88 58 88 93 3E 48 10 0C B0 6C 3A BE 14 EE 89 55 D2 45 00 C7 7F 6E 20 D3 2C 60 2B 2C 6D 31 00 }
  condition:
    uint32(0) == 0x464C457F and $key
}

rule Vigil_XZ_Build_Script_Stage : linux script
{
  meta:
    description = "xz-utils CVE-2024-3094: the build-time stage that extracts the payload from the test files"
    severity = "critical"
    confidence = "high"
    campaign = "xz-utils backdoor (CVE-2024-3094)"
    reference = "https://www.openwall.com/lists/oss-security/2024/03/29/4"
  strings:
    $tr = "/bad-3-corrupt_lzma2.xz | tr " ascii
    $eval = "/tests/files/good-large_compressed.lzma|eval $i|tail -c +31265|" ascii
    $var = "eval $zrKcKQ" ascii
  condition:
    filesize < 2MB and 2 of them
}

rule Vigil_SUNBURST_FNV_Constant : windows backdoor
{
  meta:
    description = "SolarWinds SUNBURST: FNV-1a XOR constant with the avsvmcloud C2 string or its deflate-base64 form"
    severity = "critical"
    confidence = "high"
    campaign = "SolarWinds SUNBURST"
    actor = "UNC2452"
    malware = "SUNBURST"
    reference = "https://www.fireeye.com/blog/threat-research/2020/12/evasive-attacker-leverages-solarwinds-supply-chain-compromises-with-sunburst-backdoor.html"
  strings:
    $fnv = { 67 19 D8 A7 3B 90 AC 5B }
    $c2 = "avsvmcloud.com" ascii wide
    $c2_b64 = "U4qpjjbQtUzUTdONrTY2q42pVapRgooABYxQuIZmtUoA" ascii wide
  condition:
    uint16(0) == 0x5A4D and $fnv and ($c2 or $c2_b64)
}

rule Vigil_ShadowHammer_Shellcode_Path : windows
{
  meta:
    description = "ASUS ShadowHammer: build path of the shellcode project inside the backdoored Live Update setup"
    severity = "high"
    confidence = "medium"
    campaign = "Operation ShadowHammer"
    actor = "BARIUM"
    reference = "https://securelist.com/operation-shadowhammer/89992/"
  strings:
    $release = "\\AsusShellCode\\Release" ascii wide nocase
    $debug = "\\AsusShellCode\\Debug" ascii wide nocase
  condition:
    uint16(0) == 0x5A4D and any of them
}

rule Vigil_Codecov_Bash_Uploader_Exfil : script ci
{
  meta:
    description = "Codecov Bash Uploader with the line that sent git remotes and the CI environment to the attacker"
    severity = "critical"
    confidence = "high"
    campaign = "Codecov Bash Uploader compromise"
    reference = "https://about.codecov.io/apr-2021-post-mortem/"
  strings:
    $banner = "Global report uploading tool for Codecov" ascii
    $exfil = "curl -sm 0.5 -d" ascii
  condition:
    uint16(0) == 0x2123 and filesize < 70KB and $banner and $exfil
}

rule Vigil_TJ_Actions_Payload_Base64 : ci
{
  meta:
    description = "tj-actions/changed-files: base64 of the payload's first line (if [[ \"$OSTYPE\" == \"linux-gnu\" ]]; then)"
    severity = "high"
    confidence = "medium"
    campaign = "tj-actions/changed-files compromise"
    reference = "https://github.com/tj-actions/changed-files/issues/2463"
  strings:
    $b64 = "aWYgW1sgIiRPU1RZUEUiID09ICJsaW51eC1nbnUiIF1dOyB0aGVu" ascii
  condition:
    filesize < 20MB and $b64
}
