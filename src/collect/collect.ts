import type { FileType, Hashes } from '../core/artifact.js'
import { errorMessage } from '../core/errors.js'
import type { Limits } from '../core/limits.js'
import type { Problem } from '../core/types.js'
import type { ArchiveSource, Member } from './archive/member.js'
import { archiveMembers } from './archive/members.js'
import type { BufferPool } from './buffer-pool.js'
import { CollectedArtifact } from './collected-artifact.js'
import { fileType, isArchiveType, TYPE_PROBE_BYTES } from './file-type.js'
import { Hasher, type HashKind, hashWhole } from './hash.js'
import type { MemoryBudget } from './memory-budget.js'
import { baseName, isUnsafeMemberName } from './names.js'
import { type Held, hashFile, readWhole } from './read-file.js'
import { code } from './walk.js'

/** Members larger than this are checked against maxCompressionRatio (small files may be sparse). */
const RATIO_CHECK_FLOOR = 1024 * 1024

/**
 * Formats whose parsers read the whole file: read once, kept whole when they fit the budget. Not
 * zip: its members are read from the file one by one, so a big jar does not hold the budget for
 * the seconds its thousands of members take.
 */
const WHOLE_TYPES = new Set<FileType>(['pe', 'elf', 'macho', 'macho-fat'])

/** One file on disk to collect: where it is, its report path and what the walk saw of it. */
export interface CollectEntry {
  fsPath: Buffer
  path: string
  size: number
  /** Its directory has a `resources`/`Resources` entry (Artifact.resourcesBeside). */
  resourcesBeside: boolean
}

export interface CollectContext {
  limits: Limits
  /** Hash kinds for a file of this type (SHA-1/MD5 only where intel can match them). */
  kindsFor(type: FileType): ReadonlySet<HashKind>
  budget: MemoryBudget
  /** Reused buffers for whole-file reads on this thread. */
  buffers: BufferPool
  signal: AbortSignal
  /** A reusable CHUNK_BYTES buffer owned by this worker. */
  chunk: Buffer
  problem(p: Problem): void
  /** Runs catalogers and detectors on one artifact; the artifact is disposed after it resolves. */
  visit(a: CollectedArtifact): Promise<void>
  onArchive(): void
  onSymlink(): void
}

/** One file on disk: hash and type it, visit it, then its members if it is an archive. */
export async function collectFile(entry: CollectEntry, ctx: CollectContext): Promise<void> {
  const { limits } = ctx
  const { path, fsPath } = entry
  const owner = {}
  const wholeCap = Math.min(limits.maxParseBytes, limits.maxFileBytes, ctx.budget.total)
  let hashed: Awaited<ReturnType<typeof hashFile>>
  try {
    hashed = await hashFile(fsPath, {
      kindsFor: ctx.kindsFor,
      chunk: ctx.chunk,
      signal: ctx.signal,
      keepWhole: async (type, size) =>
        WHOLE_TYPES.has(type) && size <= wholeCap ? hold(size, owner, ctx) : undefined,
    })
  } catch (err) {
    if (ctx.signal.aborted) throw err
    ctx.problem({ stage: 'read', path, message: `cannot read: ${code(err)}`, level: 'error' })
    return
  }
  try {
    await visitAndExpand(entry, hashed, owner, ctx)
  } finally {
    hashed.release?.()
  }
}

/** A pooled buffer of `size` bytes, held under the memory budget until released. */
async function hold(size: number, owner: object, ctx: CollectContext): Promise<Held> {
  const unbudget = await ctx.budget.acquire(size, owner)
  const { buf, give } = ctx.buffers.take(size)
  return {
    buf,
    release: () => {
      give()
      unbudget()
    },
  }
}

async function visitAndExpand(
  entry: CollectEntry,
  hashed: Awaited<ReturnType<typeof hashFile>>,
  owner: object,
  ctx: CollectContext,
): Promise<void> {
  const { limits } = ctx
  const { path, fsPath } = entry
  const tooBig = hashed.size > limits.maxFileBytes
  if (tooBig) {
    ctx.problem({
      stage: 'read',
      path,
      message: `${hashed.size} bytes exceeds the file size limit (${limits.maxFileBytes}); hashed only, not parsed`,
      level: 'warning',
    })
  }
  const size = hashed.size
  const parseable = !tooBig && size <= limits.maxParseBytes
  const fsText = fsPath.toString('utf8')
  const artifact = new CollectedArtifact({
    path,
    size,
    type: hashed.type,
    hashes: hashed.hashes,
    ...(Buffer.from(fsText).equals(fsPath) && { fsPath: fsText }),
    resourcesBeside: entry.resourcesBeside,
    depth: 0,
    ...(hashed.content && { content: hashed.content }),
    ...(!hashed.content &&
      parseable && {
        load: async () => {
          const { buf, release } = await hold(size, owner, ctx)
          try {
            return { bytes: readWhole(fsPath, buf), release }
          } catch (err) {
            release()
            throw err
          }
        },
      }),
    unreadable: `${size} bytes exceeds the parse limit (${Math.min(limits.maxParseBytes, limits.maxFileBytes)})`,
  })
  try {
    await ctx.visit(artifact)
  } finally {
    artifact.dispose()
  }
  if (isArchiveType(hashed.type) && !tooBig) {
    await expandTopLevel(entry, hashed.type, size, owner, hashed.content, ctx)
  }
}

/**
 * An archive already in memory (one that fit in the first read) is unpacked from
 * there, its members sliced and inflated without a stream each; larger ones are read from disk.
 */
async function expandTopLevel(
  entry: CollectEntry,
  type: FileType,
  size: number,
  owner: object,
  content: Buffer | undefined,
  ctx: CollectContext,
): Promise<void> {
  const src: ArchiveSource = content
    ? { kind: 'buffer', buf: content }
    : { kind: 'file', fsPath: entry.fsPath, size }
  await expandArchive(entry.path, type, src, 0, { expanded: 0, owner }, ctx)
}

interface ArchiveState {
  /** Expanded bytes so far under one top-level archive. */
  expanded: number
  /** Memory-budget owner: the top-level file. */
  owner: object
}

/** Visits every member of an archive, recursing into nested archives within the limits. */
async function expandArchive(
  path: string,
  type: FileType,
  src: ArchiveSource,
  depth: number,
  state: ArchiveState,
  ctx: CollectContext,
): Promise<void> {
  const { limits } = ctx
  if (depth >= limits.maxArchiveDepth) {
    ctx.problem({
      stage: 'unpack',
      path,
      message: `archive nested deeper than ${limits.maxArchiveDepth} levels; not opened`,
      level: 'error',
    })
    return
  }
  ctx.onArchive()
  const problem = (message: string, member?: string, level: Problem['level'] = 'error') =>
    ctx.problem({ stage: 'unpack', path: member ? `${path}!/${member}` : path, message, level })
  let count = 0
  try {
    const members = archiveMembers(type, src, {
      name: baseName(path),
      maxGzipOut: Math.min(
        limits.maxExpandedBytes - state.expanded,
        Math.max(src.kind === 'file' ? src.size : src.buf.length, 1) * limits.maxCompressionRatio,
      ),
      onAnomaly: (m) => problem(`malformed archive entry: ${m}`, undefined, 'warning'),
    })
    for await (const m of members) {
      ctx.signal.throwIfAborted()
      if (m.kind === 'dir') continue
      const name = m.name.replace(/^(\.\/)+/, '')
      if (isUnsafeMemberName(m.name)) {
        problem('member name escapes the archive (path traversal); refused, not read', name)
        continue
      }
      if (++count > limits.maxArchiveMembers) {
        problem(`more than ${limits.maxArchiveMembers} members (limit); the rest were not read`)
        break
      }
      if (m.kind === 'symlink') {
        ctx.onSymlink()
        continue
      }
      if (m.kind !== 'file') continue
      if (m.unreadable) {
        problem(`${m.unreadable}; not read`, name, 'warning')
        continue
      }
      const ratio = m.compressedSize === undefined ? 0 : m.size / Math.max(m.compressedSize, 1)
      if (m.size > RATIO_CHECK_FLOOR && ratio > limits.maxCompressionRatio) {
        problem(
          `compression ratio ${Math.round(ratio)}:1 exceeds the limit (${limits.maxCompressionRatio}:1); not read (zip bomb?)`,
          name,
        )
        continue
      }
      if (state.expanded + m.size > limits.maxExpandedBytes) {
        problem(
          `expanded size would exceed ${limits.maxExpandedBytes} bytes (limit); the rest were not read (zip bomb?)`,
          name,
        )
        break
      }
      await collectMember(`${path}!/${name}`, m, depth + 1, state, ctx)
    }
  } catch (err) {
    if (ctx.signal.aborted) throw err
    problem(`cannot read ${type} archive: ${errorMessage(err)}`)
  }
}

async function collectMember(
  path: string,
  m: Member,
  depth: number,
  state: ArchiveState,
  ctx: CollectContext,
): Promise<void> {
  let read: MemberContent
  try {
    read = await readMember(m, state, ctx)
  } catch (err) {
    if (ctx.signal.aborted) throw err
    ctx.problem({
      stage: 'unpack',
      path,
      message: `cannot read member: ${errorMessage(err)}`,
      level: 'error',
    })
    return
  }
  const artifact = new CollectedArtifact({
    path,
    size: read.size,
    type: read.type,
    hashes: read.hashes,
    depth,
    ...(read.content && { content: read.content }),
    unreadable: `${read.size} bytes exceeds the parse limit (${ctx.limits.maxParseBytes})`,
  })
  try {
    await ctx.visit(artifact)
    if (isArchiveType(read.type)) {
      if (read.content) {
        const src: ArchiveSource = { kind: 'buffer', buf: read.content }
        await expandArchive(path, read.type, src, depth, state, ctx)
      } else {
        ctx.problem({
          stage: 'unpack',
          path,
          message: `nested archive of ${read.size} bytes exceeds the parse limit; not opened`,
          level: 'error',
        })
      }
    }
  } finally {
    artifact.dispose()
    read.release()
  }
}

interface MemberContent {
  size: number
  type: FileType
  hashes: Hashes
  content?: Buffer
  release: () => void
}

/**
 * Streams one member once: hashes, type from its head, and its bytes kept (through the memory
 * budget) when it is small enough to parse. Counts expanded bytes against the archive limit as
 * they arrive, so a member that lies about its size is still stopped.
 */
async function readMember(
  m: Member,
  state: ArchiveState,
  ctx: CollectContext,
): Promise<MemberContent> {
  const { limits } = ctx
  let chunks: Buffer[] | undefined = m.size <= limits.maxParseBytes ? [] : undefined
  let release = chunks ? await ctx.budget.acquire(m.size, state.owner) : () => {}
  // The hash kinds depend on the type, known once TYPE_PROBE_BYTES arrived: chunks wait till then.
  // A member that comes as one chunk (most zip members) is hashed whole at the end.
  const head: Buffer[] = []
  let headLen = 0
  let hasher: Hasher | undefined
  let size = 0
  try {
    for await (const chunk of m.content()) {
      state.expanded += chunk.length
      if (state.expanded > limits.maxExpandedBytes) {
        throw new Error(`expanded size exceeds ${limits.maxExpandedBytes} bytes (limit; zip bomb?)`)
      }
      size += chunk.length
      if (hasher) hasher.update(chunk)
      else {
        head.push(chunk)
        headLen += chunk.length
        if (headLen >= TYPE_PROBE_BYTES && head.length > 1) hasher = startHasher(head, ctx)
      }
      if (chunks && size <= m.size) chunks.push(chunk)
      else if (chunks) {
        // Larger than declared: stop keeping the content (it is still hashed).
        chunks = undefined
        release()
        release = () => {}
      }
    }
  } catch (err) {
    release()
    throw err
  }
  const content = chunks && (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
  if (!content) release()
  const kept = content ? { content } : {}
  if (!hasher) {
    // Every byte is in head: one chunk, or less than TYPE_PROBE_BYTES.
    const whole = content ?? (head.length === 1 ? head[0]! : Buffer.concat(head))
    const type = fileType(whole)
    return { size, type, hashes: hashWhole(ctx.kindsFor(type), whole), ...kept, release }
  }
  const type = fileType(content ?? Buffer.concat(head))
  return { size, type, hashes: hasher.digest(), ...kept, release }
}

/** A hasher for the type the head shows, fed the head. */
function startHasher(head: readonly Buffer[], ctx: CollectContext): Hasher {
  const probe = head.length === 1 ? head[0]! : Buffer.concat(head)
  const hasher = new Hasher(ctx.kindsFor(fileType(probe)))
  for (const c of head) hasher.update(c)
  return hasher
}
