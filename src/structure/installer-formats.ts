/** Known installer / self-extractor payloads appended to a PE stub, recognised by magic bytes. */

interface Magic {
  name: string
  bytes: Uint8Array
  /** Search window from the start of the overlay (or of the file's tail for `fromEnd`). */
  within: number
  fromEnd?: boolean
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))
const raw = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'))

const MAGICS: Magic[] = [
  { name: 'nsis', bytes: ascii('NullsoftInst'), within: 512 },
  { name: 'inno-setup', bytes: ascii('Inno Setup'), within: 4096 },
  { name: 'inno-setup', bytes: ascii('rDlPtS'), within: 4096 },
  { name: '7z-sfx', bytes: raw('377abcaf271c'), within: 4096 },
  { name: '7z-sfx', bytes: ascii(';!@Install@!UTF-8!'), within: 4096 },
  { name: 'zip-sfx', bytes: raw('504b0304'), within: 4096 },
  { name: 'zip-sfx', bytes: raw('504b0506'), within: 65_558, fromEnd: true },
  { name: 'rar-sfx', bytes: ascii('Rar!\x1a\x07'), within: 4096 },
  { name: 'cab', bytes: ascii('MSCF\0\0\0\0'), within: 4096 },
  { name: 'msi-ole', bytes: raw('d0cf11e0a1b11ae1'), within: 4096 },
  { name: 'installshield', bytes: ascii('InstallShield'), within: 4096 },
  { name: 'wise', bytes: ascii('WISE'), within: 64 },
  { name: 'pyinstaller', bytes: raw('4d45490c0b0a0b0e'), within: 4096, fromEnd: true },
  { name: 'xz', bytes: raw('fd377a585a00'), within: 64 },
  { name: 'gzip', bytes: raw('1f8b08'), within: 16 },
  { name: 'bzip2', bytes: ascii('BZh'), within: 16 },
  { name: 'squashfs-nuget', bytes: ascii('hsqs'), within: 16 },
]

/** Sections that announce an attached installer container (WiX Burn bundles). */
const INSTALLER_SECTIONS = new Set(['.wixburn'])

/** Name of the installer format the overlay belongs to, if recognised. */
export function recognisedInstaller(
  bytes: Uint8Array,
  overlayOffset: number,
  sectionNames: readonly string[],
): string | undefined {
  if (sectionNames.some((n) => INSTALLER_SECTIONS.has(n))) return 'wix-burn'
  for (const m of MAGICS) {
    const start = m.fromEnd ? Math.max(overlayOffset, bytes.length - m.within) : overlayOffset
    const end = m.fromEnd
      ? bytes.length
      : Math.min(bytes.length, overlayOffset + m.within + m.bytes.length)
    if (indexOf(bytes, m.bytes, start, end) >= 0) return m.name
  }
  return undefined
}

function indexOf(hay: Uint8Array, needle: Uint8Array, start: number, end: number): number {
  const last = end - needle.length
  outer: for (let i = start; i <= last; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer
    return i
  }
  return -1
}
