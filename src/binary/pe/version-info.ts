import { anomaly } from './layout.js'
import type { ByteReader } from './reader.js'
import { RT_VERSION } from './resources.js'
import type { PeFile, PeFixedVersion, PeVersionInfo } from './types.js'

interface VsNode {
  key: string
  /** Offset of the value, after the key and its 32-bit padding. */
  value: number
  valueLength: number
  type: number
  end: number
  /** Offset of the first child. */
  children: number
}

const MAX_NODES = 2048

/** VS_VERSIONINFO of the first RT_VERSION resource: fixed file info and StringFileInfo values. */
export function parseVersionInfo(r: ByteReader, pe: PeFile): void {
  const res = pe.resources.find((x) => x.type === RT_VERSION)
  if (!res) return
  const end = Math.min(r.size, res.offset + res.size)
  const root = node(r, res.offset, end)
  if (root?.key !== 'VS_VERSION_INFO') {
    anomaly(pe.anomalies, 'version-info-malformed', 'no VS_VERSION_INFO root', res.offset)
    return
  }
  const info: PeVersionInfo = { strings: Object.create(null) }
  if (root.valueLength >= 52 && r.has(root.value, 52) && r.u32(root.value) === 0xfeef04bd) {
    info.fixed = fixedInfo(r, root.value)
  }
  let budget = MAX_NODES
  for (const child of children(r, root, () => --budget > 0)) {
    if (child.key !== 'StringFileInfo') continue
    for (const table of children(r, child, () => --budget > 0)) {
      if (info.lang !== undefined) break
      info.lang = table.key.toLowerCase()
      for (const s of children(r, table, () => --budget > 0)) {
        const value = r.utf16z(s.value, s.end, 1024).text
        if (s.key && !(s.key in info.strings)) info.strings[s.key] = value.trim()
      }
    }
  }
  pe.versionInfo = info
}

function node(r: ByteReader, at: number, limit: number): VsNode | undefined {
  if (!r.has(at, 6) || at + 6 > limit) return undefined
  const length = r.u16(at)
  if (length < 6) return undefined
  const end = Math.min(limit, at + length)
  const key = r.utf16z(at + 6, end, 64)
  const value = align4(key.next, at)
  const type = r.u16(at + 4)
  // wValueLength counts WORDs for text values (type 1) and bytes for binary ones.
  const valueLength = r.u16(at + 2) * (type === 1 ? 2 : 1)
  const children = align4(Math.min(end, value + valueLength), at)
  return { key: key.text, value, valueLength, type, end, children }
}

function* children(r: ByteReader, parent: VsNode, more: () => boolean): Generator<VsNode> {
  let at = parent.children
  while (at + 6 <= parent.end && more()) {
    const child = node(r, at, parent.end)
    if (!child) return
    yield child
    const next = align4(child.end, at)
    if (next <= at) return
    at = next
  }
}

function align4(offset: number, origin: number): number {
  // Version blocks are 32-bit aligned relative to the start of the resource; origin is aligned.
  return offset + ((4 - ((offset - origin) % 4)) % 4)
}

function fixedInfo(r: ByteReader, at: number): PeFixedVersion {
  const v = (ms: number, ls: number) => `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`
  return {
    fileVersion: v(r.u32(at + 8), r.u32(at + 12)),
    productVersion: v(r.u32(at + 16), r.u32(at + 20)),
    fileFlags: r.u32(at + 28) & r.u32(at + 24),
    fileOS: r.u32(at + 32),
    fileType: r.u32(at + 36),
  }
}
