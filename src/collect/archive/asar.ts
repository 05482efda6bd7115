import { open } from 'node:fs/promises'
import type { ArchiveSource, Member } from './member.js'
import { sourceSize } from './member.js'

/** Largest asar header accepted (real ones are a few MB at most). */
const MAX_HEADER_BYTES = 64 * 1024 * 1024
const MAX_TREE_DEPTH = 64
const READ_CHUNK = 1024 * 1024

export interface AsarEntry {
  path: string
  size: number
  /** Absolute offset of the content within the asar file. */
  offset: number
  unpacked: boolean
  link?: string
}

export interface AsarIndex {
  entries: AsarEntry[]
  /** Entries that could not be placed (bad offsets, sizes, shapes), with the reason. */
  anomalies: string[]
}

/**
 * Parses an Electron asar header: a 4-byte little-endian pickle length (always 4), the header
 * pickle size, then a pickle holding its payload size, the JSON string length and the JSON
 * `{"files": {name: {files} | {size, offset, unpacked?} | {link}}}`. File data starts after the
 * header pickle; offsets in the JSON are decimal strings relative to that start. Every number is
 * bounds-checked against the file size; a malformed header throws, a malformed entry is an anomaly.
 */
export function parseAsarHeader(head: Buffer, totalSize: number): AsarIndex {
  if (head.length < 16 || head.readUInt32LE(0) !== 4) throw new Error('not an asar archive')
  const headerSize = head.readUInt32LE(4)
  if (headerSize < 8 || 8 + headerSize > totalSize || headerSize > MAX_HEADER_BYTES) {
    throw new Error(`asar header size ${headerSize} does not fit the file (${totalSize} bytes)`)
  }
  if (head.length < 8 + headerSize) throw new Error('asar header truncated')
  const strLen = head.readUInt32LE(12)
  if (16 + strLen > 8 + headerSize) throw new Error(`asar header string length ${strLen} too large`)
  let tree: unknown
  try {
    tree = JSON.parse(head.toString('utf8', 16, 16 + strLen))
  } catch (err) {
    throw new Error(`asar header is not JSON: ${(err as Error).message}`)
  }
  const base = 8 + headerSize
  const out: AsarIndex = { entries: [], anomalies: [] }
  walkTree(tree, '', 0, { base, totalSize }, out)
  return out
}

function walkTree(
  node: unknown,
  prefix: string,
  depth: number,
  bounds: { base: number; totalSize: number },
  out: AsarIndex,
): void {
  const files = isObject(node) ? node.files : undefined
  if (!isObject(files)) {
    out.anomalies.push(`${prefix || '/'}: directory without a files table`)
    return
  }
  if (depth > MAX_TREE_DEPTH) {
    out.anomalies.push(`${prefix}: directories nested deeper than ${MAX_TREE_DEPTH}`)
    return
  }
  for (const [name, entry] of Object.entries(files)) {
    const path = prefix ? `${prefix}/${name}` : name
    if (!isObject(entry)) out.anomalies.push(`${path}: entry is not an object`)
    else if ('files' in entry) walkTree(entry, path, depth + 1, bounds, out)
    else if (typeof entry.link === 'string') {
      out.entries.push({ path, size: 0, offset: 0, unpacked: false, link: entry.link })
    } else addFile(path, entry, bounds, out)
  }
}

function addFile(
  path: string,
  entry: Record<string, unknown>,
  bounds: { base: number; totalSize: number },
  out: AsarIndex,
): void {
  const size = entry.size
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    out.anomalies.push(`${path}: bad size ${JSON.stringify(size)}`)
    return
  }
  if (entry.unpacked === true) {
    out.entries.push({ path, size, offset: 0, unpacked: true })
    return
  }
  const rel =
    typeof entry.offset === 'string' && /^\d{1,15}$/.test(entry.offset)
      ? Number(entry.offset)
      : Number.NaN
  const offset = bounds.base + rel
  if (Number.isNaN(rel) || offset + size > bounds.totalSize) {
    out.anomalies.push(
      `${path}: offset ${JSON.stringify(entry.offset)} + size ${size} outside the file`,
    )
    return
  }
  out.entries.push({ path, size, offset, unpacked: false })
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Members of an asar archive, read by offset (random access, no extraction). */
export async function* asarMembers(
  src: ArchiveSource,
  onAnomaly: (message: string) => void,
): AsyncGenerator<Member> {
  const total = sourceSize(src)
  const reader = await openReader(src)
  try {
    const sizes = await reader.read(0, Math.min(8, total))
    if (sizes.length < 8) throw new Error('asar header truncated')
    const headerSize = sizes.readUInt32LE(4)
    if (8 + headerSize > total || headerSize > MAX_HEADER_BYTES) {
      throw new Error(`asar header size ${headerSize} does not fit the file (${total} bytes)`)
    }
    const index = parseAsarHeader(await reader.read(0, 8 + headerSize), total)
    for (const a of index.anomalies) onAnomaly(a)
    for (const e of index.entries) {
      const member: Member = {
        name: e.path,
        kind: e.link !== undefined ? 'symlink' : 'file',
        size: e.size,
        content: () => chunks(reader, e.offset, e.size),
      }
      if (e.unpacked) member.unreadable = 'stored outside the archive (app.asar.unpacked)'
      yield member
    }
  } finally {
    await reader.close()
  }
}

interface Reader {
  read(offset: number, length: number): Promise<Buffer>
  close(): Promise<void>
}

async function openReader(src: ArchiveSource): Promise<Reader> {
  if (src.kind === 'buffer') {
    return { read: async (o, n) => src.buf.subarray(o, o + n), close: async () => {} }
  }
  const fh = await open(src.fsPath, 'r')
  return {
    async read(o, n) {
      const buf = Buffer.alloc(n)
      const { bytesRead } = await fh.read(buf, 0, n, o)
      return buf.subarray(0, bytesRead)
    },
    close: () => fh.close(),
  }
}

async function* chunks(reader: Reader, offset: number, size: number): AsyncGenerator<Buffer> {
  for (let done = 0; done < size; ) {
    const part = await reader.read(offset + done, Math.min(READ_CHUNK, size - done))
    if (part.length === 0) throw new Error('asar member truncated')
    done += part.length
    yield part
  }
}
