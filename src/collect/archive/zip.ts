import { close, open } from 'node:fs'
import { promisify } from 'node:util'
import { inflateRawSync } from 'node:zlib'
import yauzl from 'yauzl'
import { displayName } from '../names.js'
import type { ArchiveSource, Member } from './member.js'

const openFd = promisify(open)
const closeFd = promisify(close)

const S_IFMT = 0o170000
const S_IFLNK = 0o120000

/**
 * Members of a zip-family archive (zip, jar, war, ear, apk, whl, nupkg, vsix, …). Names are read
 * raw (decodeStrings off) so that hostile names reach the caller's checks instead of aborting
 * the whole archive; yauzl still checks every member's size against its header.
 */
export async function* zipMembers(src: ArchiveSource): AsyncGenerator<Member> {
  const options = { lazyEntries: true, decodeStrings: false, autoClose: false } as const
  const zip =
    src.kind === 'buffer'
      ? await yauzl.fromBufferPromise(src.buf, options)
      : await fromFile(src.fsPath)
  try {
    for await (const entry of zip.eachEntry()) {
      yield toMember(zip, entry, src.kind === 'buffer' ? src.buf : undefined)
    }
  } finally {
    zip.close() // closes the descriptor once no member stream uses it
  }
}

/** yauzl closes a descriptor it accepted (on close()); one it rejected is ours to close. */
async function fromFile(fsPath: string | Buffer): Promise<yauzl.ZipFile> {
  const fd = await openFd(fsPath, 'r')
  try {
    return await yauzl.fromFdPromise(fd, {
      lazyEntries: true,
      decodeStrings: false,
      autoClose: false,
    })
  } catch (err) {
    await closeFd(fd).catch(() => {})
    throw err
  }
}

function toMember(zip: yauzl.ZipFile, entry: yauzl.Entry, buf: Buffer | undefined): Member {
  const raw = entry.fileName as unknown as Buffer
  const name = displayName(raw)
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT
  // Unix modes sit in the high half of the external attributes only when made on Unix (host 3).
  const unix = entry.versionMadeBy >>> 8 === 3
  const kind = name.endsWith('/') ? 'dir' : unix && mode === S_IFLNK ? 'symlink' : 'file'
  const member: Member = {
    name,
    kind,
    size: entry.uncompressedSize,
    compressedSize: entry.compressedSize,
    content: () => (buf ? inMemory(entry, buf) : streamOf(zip, entry)),
  }
  if (entry.isEncrypted()) member.unreadable = 'encrypted member'
  return member
}

async function* streamOf(zip: yauzl.ZipFile, entry: yauzl.Entry): AsyncGenerator<Buffer> {
  const stream = await zip.openReadStreamPromise(entry)
  try {
    for await (const chunk of stream) yield chunk as Buffer
  } finally {
    stream.destroy()
  }
}

/**
 * Members of an archive held in memory: the stored bytes are sliced out and inflated in one call,
 * far cheaper than a stream per member for archives of thousands of small classes. The output is
 * capped at the declared size and must match it exactly.
 */
async function* inMemory(entry: yauzl.Entry, buf: Buffer): AsyncGenerator<Buffer> {
  const fileDataStart = localDataStart(buf, entry.relativeOffsetOfLocalHeader)
  const end = fileDataStart + entry.compressedSize
  if (end > buf.length) throw new Error('member data runs past the end of the archive')
  const raw = buf.subarray(fileDataStart, end)
  let out: Buffer
  if (entry.compressionMethod === 0) out = raw
  else if (entry.compressionMethod === 8) {
    try {
      out = inflateRawSync(raw, { maxOutputLength: Math.max(entry.uncompressedSize, 1) })
    } catch (err) {
      const e = err as { code?: string; message?: string }
      throw new Error(
        e.code === 'ERR_BUFFER_TOO_LARGE'
          ? `inflates to more than the declared ${entry.uncompressedSize} bytes`
          : `bad deflate data: ${e.message}`,
      )
    }
  } else throw new Error(`unsupported compression method ${entry.compressionMethod}`)
  if (out.length !== entry.uncompressedSize) {
    throw new Error(`inflated to ${out.length} bytes, header says ${entry.uncompressedSize}`)
  }
  yield out
}

const LOCAL_HEADER_SIG = 0x04034b50

/** Where a member's stored bytes start: after its 30-byte local header, name and extra field. */
function localDataStart(buf: Buffer, offset: number): number {
  if (offset + 30 > buf.length || buf.readUInt32LE(offset) !== LOCAL_HEADER_SIG) {
    throw new Error(`no local file header at offset ${offset}`)
  }
  return offset + 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28)
}
