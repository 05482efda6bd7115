/**
 * RPM header blobs as stored in rpmdb (the header without its 8-byte magic): a big-endian index
 * count `il` and data length `dl`, `il` 16-byte entries (tag, type, offset, count), then `dl`
 * bytes of data. Every read is bounds-checked; a malformed blob yields anomalies, never a throw.
 */

export const RPMTAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SUMMARY: 1004,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
} as const

const TYPE_INT32 = 4
const TYPE_STRING = 6
const TYPE_STRING_ARRAY = 8
const TYPE_I18NSTRING = 9
/** rpm's own bounds (HEADER_TAGS_MAX, HEADER_DATA_MAX). */
const MAX_TAGS = 0xffff
const MAX_DATA = 0x0fffffff

export interface RpmHeader {
  strings: Map<number, string>
  ints: Map<number, number>
  anomalies: string[]
}

function readString(data: Buffer, offset: number): string | undefined {
  const end = data.indexOf(0, offset)
  return end < 0 ? undefined : data.toString('utf8', offset, end)
}

export function parseRpmHeader(blob: Uint8Array): RpmHeader {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
  const h: RpmHeader = { strings: new Map(), ints: new Map(), anomalies: [] }
  if (b.length < 8) {
    h.anomalies.push(`header blob of ${b.length} bytes is shorter than its 8-byte preamble`)
    return h
  }
  const il = b.readUInt32BE(0)
  const dl = b.readUInt32BE(4)
  const dataStart = 8 + il * 16
  if (il > MAX_TAGS || dl > MAX_DATA || dataStart + dl > b.length) {
    h.anomalies.push(
      `header index (${il} entries, ${dl} data bytes) exceeds the ${b.length}-byte blob`,
    )
    return h
  }
  const data = b.subarray(dataStart, dataStart + dl)
  const wanted = new Set<number>(Object.values(RPMTAG))
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16
    const tag = b.readUInt32BE(e)
    if (!wanted.has(tag)) continue
    const type = b.readUInt32BE(e + 4)
    const offset = b.readUInt32BE(e + 8)
    const count = b.readUInt32BE(e + 12)
    if (offset >= dl || count === 0) {
      h.anomalies.push(`tag ${tag}: offset ${offset} / count ${count} outside ${dl} data bytes`)
      continue
    }
    if (type === TYPE_INT32) {
      if (offset + 4 > dl) h.anomalies.push(`tag ${tag}: int32 past the data end`)
      else h.ints.set(tag, data.readUInt32BE(offset))
    } else if (type === TYPE_STRING || type === TYPE_STRING_ARRAY || type === TYPE_I18NSTRING) {
      const s = readString(data, offset)
      if (s === undefined) h.anomalies.push(`tag ${tag}: unterminated string`)
      else h.strings.set(tag, s)
    } else h.anomalies.push(`tag ${tag}: unexpected type ${type}`)
  }
  return h
}
