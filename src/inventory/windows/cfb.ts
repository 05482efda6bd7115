/**
 * Reads streams from a Compound File Binary (OLE2 / MS-CFB) container, the format of MSI
 * installers: a 512-byte header, a FAT of sector chains (through the DIFAT), a directory of
 * 128-byte entries, and a mini stream (with its own mini FAT) for streams under the cutoff size.
 * Every chain walk is bounded (no loops, no sector past the file); malformed input yields
 * anomalies and no stream, never a throw.
 */

const SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex')
const ENDOFCHAIN = 0xfffffffe
const MAX_SECTOR = 0xfffffffa
const DIR_ENTRY = 128
const MAX_STREAM_BYTES = 256 << 20

export interface CfbEntry {
  name: string
  /** 1 storage, 2 stream, 5 root. */
  type: number
  start: number
  size: number
}

export interface CfbFile {
  entries: CfbEntry[]
  /** The content of a stream entry; undefined if its chain is broken. */
  read(e: CfbEntry): Buffer | undefined
  anomalies: string[]
}

export function isCfb(b: Uint8Array): boolean {
  return b.length >= 512 && Buffer.from(b.buffer, b.byteOffset, 8).equals(SIGNATURE)
}

export function parseCfb(bytes: Uint8Array): CfbFile {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const anomalies: string[] = []
  const empty: CfbFile = { entries: [], read: () => undefined, anomalies }
  if (!isCfb(b)) {
    anomalies.push('not a compound file (signature)')
    return empty
  }
  const shift = b.readUInt16LE(0x1e)
  const miniShift = b.readUInt16LE(0x20)
  if ((shift !== 9 && shift !== 12) || miniShift !== 6) {
    anomalies.push(`unsupported sector sizes (shift ${shift}, mini shift ${miniShift})`)
    return empty
  }
  const sectorSize = 1 << shift
  const sectorCount = Math.floor((b.length - sectorSize) / sectorSize)
  const sector = (n: number): Buffer | undefined => {
    if (n > MAX_SECTOR || n >= sectorCount) return undefined
    const at = (n + 1) * sectorSize
    return b.subarray(at, at + sectorSize)
  }

  // DIFAT: 109 entries in the header, then chained DIFAT sectors.
  const fatSectors: number[] = []
  for (let i = 0; i < 109; i++) fatSectors.push(b.readUInt32LE(0x4c + i * 4))
  let difat = b.readUInt32LE(0x44)
  for (let guard = 0; difat <= MAX_SECTOR && guard < sectorCount; guard++) {
    const s = sector(difat)
    if (!s) {
      anomalies.push(`DIFAT sector ${difat} outside the file`)
      break
    }
    for (let i = 0; i < sectorSize / 4 - 1; i++) fatSectors.push(s.readUInt32LE(i * 4))
    difat = s.readUInt32LE(sectorSize - 4)
  }
  const fatParts: Buffer[] = []
  for (const n of fatSectors.slice(0, b.readUInt32LE(0x2c))) {
    const s = n <= MAX_SECTOR ? sector(n) : undefined
    if (s) fatParts.push(s)
  }
  const fat = Buffer.concat(fatParts)
  const next = (n: number) => (n * 4 + 4 <= fat.length ? fat.readUInt32LE(n * 4) : ENDOFCHAIN)

  const chain = (start: number, limit: number): Buffer | undefined => {
    const parts: Buffer[] = []
    let total = 0
    for (let n = start, guard = 0; n !== ENDOFCHAIN && total < limit; n = next(n), guard++) {
      const s = sector(n)
      if (!s || guard > sectorCount) return undefined
      parts.push(s)
      total += sectorSize
    }
    return Buffer.concat(parts)
  }

  const dir = chain(b.readUInt32LE(0x30), MAX_STREAM_BYTES)
  if (!dir) {
    anomalies.push('directory chain broken')
    return empty
  }
  const entries: CfbEntry[] = []
  for (let at = 0; at + DIR_ENTRY <= dir.length; at += DIR_ENTRY) {
    const type = dir[at + 0x42]!
    if (type === 0) continue
    const nameLen = Math.min(64, dir.readUInt16LE(at + 0x40))
    const name = dir.toString('utf16le', at, at + Math.max(0, nameLen - 2))
    entries.push({
      name,
      type,
      start: dir.readUInt32LE(at + 0x74),
      size: dir.readUInt32LE(at + 0x78),
    })
  }
  const root = entries.find((e) => e.type === 5)
  const cutoff = b.readUInt32LE(0x38)
  let mini: { stream: Buffer; fat: Buffer } | undefined
  const miniOf = () => {
    if (mini) return mini
    const stream = root ? chain(root.start, Math.min(root.size, MAX_STREAM_BYTES)) : undefined
    const miniFat = chain(b.readUInt32LE(0x3c), b.readUInt32LE(0x40) * sectorSize)
    mini = { stream: stream ?? Buffer.alloc(0), fat: miniFat ?? Buffer.alloc(0) }
    return mini
  }

  const read = (e: CfbEntry): Buffer | undefined => {
    if (e.type !== 2 || e.size > MAX_STREAM_BYTES) return undefined
    if (e.size >= cutoff) {
      const data = chain(e.start, e.size)
      return data && data.length >= e.size ? data.subarray(0, e.size) : undefined
    }
    const m = miniOf()
    const parts: Buffer[] = []
    let total = 0
    const count = m.fat.length / 4
    for (let n = e.start, guard = 0; n !== ENDOFCHAIN && total < e.size; guard++) {
      const at = n * 64
      if (n > MAX_SECTOR || at + 64 > m.stream.length || guard > count) return undefined
      parts.push(m.stream.subarray(at, at + 64))
      total += 64
      n = n * 4 + 4 <= m.fat.length ? m.fat.readUInt32LE(n * 4) : ENDOFCHAIN
    }
    const out = Buffer.concat(parts)
    return out.length >= e.size ? out.subarray(0, e.size) : undefined
  }
  return { entries, read, anomalies }
}
