/** Numeric constants of the ELF format (System V gABI, GNU extensions). */

export const ET_NAMES: Record<number, string> = {
  0: 'none',
  1: 'rel',
  2: 'exec',
  3: 'dyn',
  4: 'core',
}

export const EM_NAMES: Record<number, string> = {
  2: 'sparc',
  3: 'x86',
  8: 'mips',
  20: 'ppc',
  21: 'ppc64',
  22: 's390',
  40: 'arm',
  42: 'sh',
  43: 'sparcv9',
  50: 'ia64',
  62: 'x86_64',
  183: 'aarch64',
  243: 'riscv',
  247: 'bpf',
  258: 'loongarch',
}

export const PT_NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'LOAD',
  2: 'DYNAMIC',
  3: 'INTERP',
  4: 'NOTE',
  5: 'SHLIB',
  6: 'PHDR',
  7: 'TLS',
  1685382480: 'GNU_EH_FRAME',
  1685382481: 'GNU_STACK',
  1685382482: 'GNU_RELRO',
  1685382483: 'GNU_PROPERTY',
}

export const SHT_NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'PROGBITS',
  2: 'SYMTAB',
  3: 'STRTAB',
  4: 'RELA',
  5: 'HASH',
  6: 'DYNAMIC',
  7: 'NOTE',
  8: 'NOBITS',
  9: 'REL',
  11: 'DYNSYM',
  14: 'INIT_ARRAY',
  15: 'FINI_ARRAY',
  16: 'PREINIT_ARRAY',
  17: 'GROUP',
  18: 'SYMTAB_SHNDX',
  1879048182: 'GNU_HASH',
  1879048189: 'VERDEF',
  1879048190: 'VERNEED',
  1879048191: 'VERSYM',
}

export const SHT = {
  NOTE: 7,
  NOBITS: 8,
  DYNSYM: 11,
  DYNAMIC: 6,
  VERDEF: 0x6ffffffd,
  VERNEED: 0x6ffffffe,
  VERSYM: 0x6fffffff,
} as const

export const PT = { LOAD: 1, DYNAMIC: 2, INTERP: 3, NOTE: 4 } as const

export const DT = {
  NULL: 0,
  NEEDED: 1,
  STRTAB: 5,
  STRSZ: 10,
  SONAME: 14,
  RPATH: 15,
  RUNPATH: 29,
} as const

export const STB_NAMES: Record<number, string> = {
  0: 'LOCAL',
  1: 'GLOBAL',
  2: 'WEAK',
  10: 'UNIQUE',
}

export const STT_NAMES: Record<number, string> = {
  0: 'NOTYPE',
  1: 'OBJECT',
  2: 'FUNC',
  3: 'SECTION',
  4: 'FILE',
  5: 'COMMON',
  6: 'TLS',
  10: 'IFUNC',
}

export const NT_GNU_BUILD_ID = 3
export const NT_GO_BUILD_ID = 4
export const NT_FDO_PACKAGING_METADATA = 0xcafe1a7e
