import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { type ArchiveSource, type Member, sourceSize } from './member.js'
import { tarMembers } from './tar.js'

const TAR_PROBE = 512

/**
 * A gzip stream holds one file: when that file is a tar (tar.gz, tgz) its members are returned
 * directly; otherwise the single decompressed file, named after the archive without `.gz`.
 * `maxOut` caps the decompressed bytes (zip-bomb defence): the stream fails beyond it.
 */
export async function* gzipMembers(
  src: ArchiveSource,
  archiveName: string,
  maxOut: number,
): AsyncGenerator<Member> {
  const raw = src.kind === 'file' ? createReadStream(src.fsPath) : Readable.from([src.buf])
  const gunzip = createGunzip()
  raw.on('error', (err: Error) => gunzip.destroy(err))
  const out = raw.pipe(gunzip)
  const limited = capped(out, maxOut)
  const iter = limited[Symbol.asyncIterator]()
  const head: Buffer[] = []
  let headLen = 0
  let done = false
  while (headLen < TAR_PROBE) {
    const next = await iter.next()
    if (next.done) {
      done = true
      break
    }
    head.push(next.value)
    headLen += next.value.length
  }
  const first = Buffer.concat(head)
  const rest = Readable.from(chain(first, done ? undefined : iter))
  try {
    if (first.length >= 262 && first.toString('latin1', 257, 262) === 'ustar') {
      yield* tarMembers(rest)
      return
    }
    yield {
      name: innerName(archiveName),
      kind: 'file',
      size: await isizeHint(src),
      content: () => rest,
    }
  } finally {
    rest.destroy()
    raw.destroy()
  }
}

async function* chain(first: Buffer, rest: AsyncIterator<Buffer> | undefined) {
  if (first.length) yield first
  if (!rest) return
  for (;;) {
    const next = await rest.next()
    if (next.done) return
    yield next.value
  }
}

async function* capped(input: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let total = 0
  for await (const chunk of input) {
    total += chunk.length
    if (total > max) {
      throw new Error(`decompresses to more than ${max} bytes (limit); the rest was not read`)
    }
    yield chunk
  }
}

/** `x.tar.gz` → `x.tar`, `x.tgz` → `x.tar`, `x.gz` → `x`, anything else → `x.out`. */
export function innerName(archiveName: string): string {
  const lower = archiveName.toLowerCase()
  if (lower.endsWith('.tgz')) return `${archiveName.slice(0, -4)}.tar`
  if (lower.endsWith('.gz')) return archiveName.slice(0, -3) || 'data'
  return `${archiveName}.out`
}

/** ISIZE, the last 4 bytes: uncompressed size mod 2^32. Only a hint (hostile input may lie). */
async function isizeHint(src: ArchiveSource): Promise<number> {
  const size = sourceSize(src)
  if (size < 4) return 0
  if (src.kind === 'buffer') return src.buf.readUInt32LE(size - 4)
  const fh = await open(src.fsPath, 'r')
  try {
    const tail = Buffer.alloc(4)
    await fh.read(tail, 0, 4, size - 4)
    return tail.readUInt32LE(0)
  } finally {
    await fh.close()
  }
}
