/** Numeric constants of the Mach-O format and Apple code signing (from <mach-o/loader.h>, cs_blobs.h). */

export const MH_MAGIC = 0xfeedface
export const MH_MAGIC_64 = 0xfeedfacf
export const MH_CIGAM = 0xcefaedfe
export const MH_CIGAM_64 = 0xcffaedfe
export const FAT_MAGIC = 0xcafebabe
export const FAT_MAGIC_64 = 0xcafebabf

export const LC_REQ_DYLD = 0x80000000

export const LC = {
  SEGMENT: 0x1,
  SYMTAB: 0x2,
  LOAD_DYLIB: 0xc,
  ID_DYLIB: 0xd,
  LOAD_DYLINKER: 0xe,
  SEGMENT_64: 0x19,
  UUID: 0x1b,
  CODE_SIGNATURE: 0x1d,
  LAZY_LOAD_DYLIB: 0x20,
  ENCRYPTION_INFO: 0x21,
  VERSION_MIN_MACOSX: 0x24,
  VERSION_MIN_IPHONEOS: 0x25,
  VERSION_MIN_TVOS: 0x2f,
  VERSION_MIN_WATCHOS: 0x30,
  BUILD_VERSION: 0x32,
  LOAD_WEAK_DYLIB: (0x18 | LC_REQ_DYLD) >>> 0,
  RPATH: (0x1c | LC_REQ_DYLD) >>> 0,
  REEXPORT_DYLIB: (0x1f | LC_REQ_DYLD) >>> 0,
  LOAD_UPWARD_DYLIB: (0x23 | LC_REQ_DYLD) >>> 0,
  MAIN: (0x28 | LC_REQ_DYLD) >>> 0,
} as const

export const LOAD_COMMAND_NAMES: Record<number, string> = {
  1: 'LC_SEGMENT',
  2: 'LC_SYMTAB',
  3: 'LC_SYMSEG',
  4: 'LC_THREAD',
  5: 'LC_UNIXTHREAD',
  11: 'LC_DYSYMTAB',
  12: 'LC_LOAD_DYLIB',
  13: 'LC_ID_DYLIB',
  14: 'LC_LOAD_DYLINKER',
  15: 'LC_ID_DYLINKER',
  16: 'LC_PREBOUND_DYLIB',
  17: 'LC_ROUTINES',
  18: 'LC_SUB_FRAMEWORK',
  19: 'LC_SUB_UMBRELLA',
  20: 'LC_SUB_CLIENT',
  21: 'LC_SUB_LIBRARY',
  22: 'LC_TWOLEVEL_HINTS',
  23: 'LC_PREBIND_CKSUM',
  25: 'LC_SEGMENT_64',
  26: 'LC_ROUTINES_64',
  27: 'LC_UUID',
  29: 'LC_CODE_SIGNATURE',
  30: 'LC_SEGMENT_SPLIT_INFO',
  32: 'LC_LAZY_LOAD_DYLIB',
  33: 'LC_ENCRYPTION_INFO',
  34: 'LC_DYLD_INFO',
  36: 'LC_VERSION_MIN_MACOSX',
  37: 'LC_VERSION_MIN_IPHONEOS',
  38: 'LC_FUNCTION_STARTS',
  39: 'LC_DYLD_ENVIRONMENT',
  41: 'LC_DATA_IN_CODE',
  42: 'LC_SOURCE_VERSION',
  43: 'LC_DYLIB_CODE_SIGN_DRS',
  44: 'LC_ENCRYPTION_INFO_64',
  45: 'LC_LINKER_OPTION',
  46: 'LC_LINKER_OPTIMIZATION_HINT',
  47: 'LC_VERSION_MIN_TVOS',
  48: 'LC_VERSION_MIN_WATCHOS',
  49: 'LC_NOTE',
  50: 'LC_BUILD_VERSION',
  53: 'LC_FILESET_ENTRY',
  [(0x18 | LC_REQ_DYLD) >>> 0]: 'LC_LOAD_WEAK_DYLIB',
  [(0x1c | LC_REQ_DYLD) >>> 0]: 'LC_RPATH',
  [(0x1f | LC_REQ_DYLD) >>> 0]: 'LC_REEXPORT_DYLIB',
  [(0x22 | LC_REQ_DYLD) >>> 0]: 'LC_DYLD_INFO_ONLY',
  [(0x23 | LC_REQ_DYLD) >>> 0]: 'LC_LOAD_UPWARD_DYLIB',
  [(0x28 | LC_REQ_DYLD) >>> 0]: 'LC_MAIN',
  [(0x33 | LC_REQ_DYLD) >>> 0]: 'LC_DYLD_EXPORTS_TRIE',
  [(0x34 | LC_REQ_DYLD) >>> 0]: 'LC_DYLD_CHAINED_FIXUPS',
}

export const FILE_TYPE_NAMES: Record<number, string> = {
  1: 'object',
  2: 'execute',
  3: 'fvmlib',
  4: 'core',
  5: 'preload',
  6: 'dylib',
  7: 'dylinker',
  8: 'bundle',
  9: 'dylib-stub',
  10: 'dsym',
  11: 'kext-bundle',
  12: 'fileset',
}

const CPU_ARCH_ABI64 = 0x01000000
const CPU_ARCH_ABI64_32 = 0x02000000

export const CPU = {
  X86: 7,
  X86_64: 7 | CPU_ARCH_ABI64,
  ARM: 12,
  ARM64: 12 | CPU_ARCH_ABI64,
  ARM64_32: 12 | CPU_ARCH_ABI64_32,
  POWERPC: 18,
  POWERPC64: 18 | CPU_ARCH_ABI64,
} as const

/** The architecture name `lipo` and `llvm-objdump` use. */
export function archName(cpuType: number, cpuSubtype: number): string {
  const sub = cpuSubtype & 0x00ffffff
  switch (cpuType) {
    case CPU.X86:
      return 'i386'
    case CPU.X86_64:
      return sub === 8 ? 'x86_64h' : 'x86_64'
    case CPU.ARM64:
      return sub === 2 ? 'arm64e' : 'arm64'
    case CPU.ARM64_32:
      return 'arm64_32'
    case CPU.ARM:
      return sub === 9 ? 'armv7' : sub === 11 ? 'armv7s' : 'arm'
    case CPU.POWERPC:
      return 'ppc'
    case CPU.POWERPC64:
      return 'ppc64'
    default:
      return `cpu-${cpuType >>> 0}`
  }
}

export const PLATFORM_NAMES: Record<number, string> = {
  1: 'macos',
  2: 'ios',
  3: 'tvos',
  4: 'watchos',
  5: 'bridgeos',
  6: 'maccatalyst',
  7: 'iossimulator',
  8: 'tvossimulator',
  9: 'watchossimulator',
  10: 'driverkit',
  11: 'visionos',
  12: 'visionossimulator',
}

/** Code signing blob magics (big-endian). */
export const CSMAGIC = {
  REQUIREMENT: 0xfade0c00,
  REQUIREMENTS: 0xfade0c01,
  CODEDIRECTORY: 0xfade0c02,
  EMBEDDED_SIGNATURE: 0xfade0cc0,
  DETACHED_SIGNATURE: 0xfade0cc1,
  BLOBWRAPPER: 0xfade0b01,
  EMBEDDED_ENTITLEMENTS: 0xfade7171,
  EMBEDDED_DER_ENTITLEMENTS: 0xfade7172,
} as const

/** SuperBlob index slot types. */
export const CSSLOT = {
  CODEDIRECTORY: 0,
  INFOSLOT: 1,
  REQUIREMENTS: 2,
  RESOURCEDIR: 3,
  APPLICATION: 4,
  ENTITLEMENTS: 5,
  DER_ENTITLEMENTS: 7,
  ALTERNATE_CODEDIRECTORIES: 0x1000,
  ALTERNATE_CODEDIRECTORY_LIMIT: 0x1005,
  SIGNATURESLOT: 0x10000,
} as const

/** Names of the special (negative-index) hash slots of a CodeDirectory, by positive index. */
export const SPECIAL_SLOT_NAMES: Record<number, string> = {
  1: 'info-plist',
  2: 'requirements',
  3: 'code-resources',
  4: 'application',
  5: 'entitlements',
  6: 'rep-specific',
  7: 'der-entitlements',
}

export const CS_HASHTYPE: Record<number, { name: string; algorithm: string; size: number }> = {
  1: { name: 'sha1', algorithm: 'sha1', size: 20 },
  2: { name: 'sha256', algorithm: 'sha256', size: 32 },
  3: { name: 'sha256-truncated', algorithm: 'sha256', size: 20 },
  4: { name: 'sha384', algorithm: 'sha384', size: 48 },
}

export const CS_FLAGS: Record<number, string> = {
  1: 'host',
  2: 'adhoc',
  256: 'hard',
  512: 'kill',
  1024: 'expires',
  2048: 'restrict',
  4096: 'enforcement',
  8192: 'library-validation',
  65536: 'runtime',
  131072: 'linker-signed',
}

export const CS_ADHOC = 0x2
export const CS_RUNTIME = 0x10000
export const CS_LINKER_SIGNED = 0x20000

export const REQUIREMENT_TYPE_NAMES: Record<number, string> = {
  1: 'host',
  2: 'guest',
  3: 'designated',
  4: 'library',
  5: 'plugin',
}
