/*
  Cross-check rule set: the (rule, file) matches of YARA-X (Vigil's engine) must equal those of
  Debian's yara CLI over the agreement corpus (src/rules/agreement.test.ts). Covers text strings and
  their modifiers, hex patterns with wildcards, jumps and alternatives, regular expressions, the
  pe, elf and math modules, filesize, counts, offsets and loops.
*/
import "pe"
import "elf"
import "math"

// ---- text strings and modifiers
rule A01_ascii_license { strings: $a = "Permission is hereby granted" condition: $a }
rule A02_nocase_copyright { strings: $a = "copyright (c)" nocase condition: $a }
rule A03_wide_string { strings: $a = "KERNEL32.dll" wide condition: $a }
rule A04_ascii_wide { strings: $a = "GetProcAddress" ascii wide condition: $a }
rule A05_fullword_use_strict { strings: $a = "use strict" fullword condition: $a }
rule A06_xor_this_program { strings: $a = "This program cannot be run" xor(1-255) condition: $a }
rule A07_two_of_three { strings: $a = "function" $b = "return" $c = "module.exports" condition: 2 of them }
rule A08_all_of { strings: $a = "GLIBC_" $b = "__libc_start_main" $c = ".gnu.version" condition: all of them }
rule A09_none_of_text { strings: $a = "zzz_never_here_zzz" condition: not $a and filesize < 64KB }
rule A10_count_many { strings: $a = "require(" condition: #a > 10 }
rule A11_offset_zero { strings: $a = "#!" condition: $a at 0 }
rule A12_in_range { strings: $a = "ELF" condition: $a in (0..4) }
rule A13_first_occurrence { strings: $a = "Copyright" condition: @a[1] < 2000 }
rule A14_private_helper_user { condition: A11_offset_zero and filesize < 100KB }
rule A15_nocase_wide { strings: $a = "microsoft" nocase wide condition: $a }
rule A16_string_set_any { strings: $s1 = "sqlite3_" $s2 = "napi_" $s3 = "v8::" condition: any of ($s*) }
rule A17_for_of { strings: $a = "http://" $b = "https://" condition: for any of ($a, $b) : (# > 5) }
rule A18_base64_word { strings: $a = "VigilLookalike" base64 condition: $a }

// ---- hex patterns: wildcards, nibbles, jumps, alternatives
rule H01_mz_pe { strings: $mz = { 4D 5A } condition: $mz at 0 and uint32(uint32(0x3C)) == 0x00004550 }
rule H02_elf_magic { strings: $a = { 7F 45 4C 46 ( 01 | 02 ) } condition: $a at 0 }
rule H03_wildcards { strings: $a = { 48 89 5C 24 ?? 48 89 74 24 ?? } condition: $a }
rule H04_nibble { strings: $a = { 48 8B 0? 48 85 C0 } condition: $a }
rule H05_jump { strings: $a = { 55 48 89 E5 [0-8] C3 } condition: $a }
rule H06_jump_wide { strings: $a = { E8 ?? ?? ?? ?? [4-16] 85 C0 74 } condition: $a }
rule H07_alternatives { strings: $a = { FF 15 ( ?? ?? ?? ?? | ?? ?? ?? 00 ) 85 C0 } condition: $a }
rule H08_feedface_single { strings: $a = { FE ED FA CE } condition: $a }
rule H09_endbr64 { strings: $a = { F3 0F 1E FA 55 } condition: #a > 3 }
rule H10_syscall_ret { strings: $a = { 0F 05 48 3D 01 F0 FF FF } condition: $a }
rule H11_not_nibble { strings: $a = { 4C 8D 05 ?? ?? ?? ?? 48 8D 0D } condition: $a }
rule H12_uint_checks { condition: uint16(0) == 0x5A4D and uint16(uint32(0x3C) + 4) == 0x8664 }

// ---- regular expressions
rule R01_url { strings: $a = /https?:\/\/[a-z0-9.-]+\.(com|org|net)\// condition: $a }
rule R02_semver { strings: $a = /\b[0-9]+\.[0-9]+\.[0-9]+-(alpha|beta|rc)\.[0-9]+/ condition: $a }
rule R03_email { strings: $a = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,6}/ nocase condition: $a }
rule R04_ipv4 { strings: $a = /\b(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}\b/ condition: #a > 2 }
rule R05_hex_blob { strings: $a = /[0-9a-f]{64}/ condition: $a }
rule R06_dll_name { strings: $a = /[A-Za-z0-9_]{3,32}\.dll/ nocase condition: #a >= 3 }
rule R07_anchored_words { strings: $a = /GCC: \(Debian [0-9.]+-[0-9]+\)/ condition: $a }
rule R08_repeat_bounded { strings: $a = /A{8,16}/ condition: $a }
rule R09_class_negated { strings: $a = /"[^"\n]{200,300}"/ condition: $a }
rule R10_pdb_path { strings: $a = /[A-Za-z]:\\[^\x00]{1,200}\.pdb/ condition: $a }

// ---- pe module
rule P01_pe_dll { condition: pe.is_pe and pe.characteristics & pe.DLL }
rule P02_pe_amd64 { condition: pe.machine == pe.MACHINE_AMD64 }
rule P03_pe_i386 { condition: pe.machine == pe.MACHINE_I386 }
rule P04_pe_imports_kernel32 { condition: pe.imports("kernel32.dll") }
rule P05_pe_import_func { condition: pe.imports("kernel32.dll", "GetProcAddress") }
rule P06_pe_sections { condition: pe.is_pe and pe.number_of_sections >= 6 }
rule P07_pe_section_text { condition: for any s in pe.sections : (s.name == ".text" and s.raw_data_size > 4096) }
rule P08_pe_signed { condition: pe.number_of_signatures > 0 }
rule P09_pe_exports { condition: pe.number_of_exports > 5 }
rule P10_pe_subsystem_gui { condition: pe.subsystem == pe.SUBSYSTEM_WINDOWS_GUI }
rule P11_pe_entry_in_text { condition: pe.is_pe and pe.entry_point > 0 and pe.entry_point < filesize }

// ---- elf module
rule E01_elf_dyn { condition: elf.type == elf.ET_DYN }
rule E02_elf_exec { condition: elf.type == elf.ET_EXEC }
rule E03_elf_x86_64 { condition: elf.machine == elf.EM_X86_64 }
rule E04_elf_many_sections { condition: elf.number_of_sections > 28 }
rule E05_elf_section_name { condition: for any s in elf.sections : (s.name == ".note.go.buildid") }
rule E06_elf_segments { condition: elf.number_of_segments >= 13 }
rule E07_elf_dynsym { condition: for any s in elf.dynsym : (s.name == "napi_module_register") }

// ---- math module and filesize
rule M01_high_entropy_start { condition: filesize > 1024 and math.entropy(0, 1024) > 7.0 }
rule M02_low_entropy_file { condition: filesize > 4096 and math.entropy(0, filesize) < 4.5 }
rule M03_mean_printable { condition: filesize > 0 and filesize < 2MB and math.mean(0, filesize) > 80.0 }
rule M04_small_file { condition: filesize < 2KB }
rule M05_large_file { condition: filesize > 3MB }
rule M06_entropy_tail { condition: filesize > 8192 and math.entropy(filesize - 4096, 4096) > 6.5 }
rule M07_serial_corr { condition: filesize > 4096 and filesize < 1MB and math.serial_correlation(0, 4096) < 0.1 }
rule M08_monte_carlo { condition: filesize > 4096 and filesize < 1MB and math.monte_carlo_pi(0, 4096) < 0.05 }
