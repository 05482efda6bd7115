import { close, open } from 'node:fs'
import { promisify } from 'node:util'
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
    for await (const entry of zip.eachEntry()) yield toMember(zip, entry)
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

function toMember(zip: yauzl.ZipFile, entry: yauzl.Entry): Member {
  const raw = entry.fileName as unknown as Buffer
  const name = displayName(raw)
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT
  const kind = name.endsWith('/') ? 'dir' : mode === S_IFLNK ? 'symlink' : 'file'
  const member: Member = {
    name,
    kind,
    size: entry.uncompressedSize,
    compressedSize: entry.compressedSize,
    content: () => streamOf(zip, entry),
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
