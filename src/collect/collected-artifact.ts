import type { Artifact, FileType, Hashes } from '../core/artifact.js'
import { InputError } from '../core/errors.js'

/** bytes() of an artifact too large to hold whole; the pipeline records one warning for it. */
export class TooLargeError extends InputError {
  override name = 'TooLargeError'
}

export interface ArtifactInit {
  path: string
  size: number
  type: FileType
  hashes: Hashes
  fsPath?: string
  resourcesBeside?: boolean
  depth: number
  /** The content, when already in memory (small files, archive members). */
  content?: Buffer
  /** Reads the whole content (through the memory budget); absent when it may not be read. */
  load?: () => Promise<{ bytes: Buffer; release: () => void }>
  /** Why bytes() rejects when there is neither content nor loader. */
  unreadable?: string
  /** Called once on dispose() (gives back the memory `content` holds). */
  release?: () => void
}

/** The collector's Artifact: lazy whole-content read, shared memo, explicit disposal. */
export class CollectedArtifact implements Artifact {
  readonly path: string
  readonly name: string
  readonly size: number
  readonly type: FileType
  readonly hashes: Hashes
  readonly fsPath?: string
  readonly resourcesBeside?: boolean
  readonly depth: number
  readonly #memo = new Map<string, Promise<unknown>>()
  readonly #init: ArtifactInit
  #bytes?: Promise<Buffer>
  #release?: () => void

  constructor(init: ArtifactInit) {
    this.#init = init
    this.path = init.path
    this.name = init.path.slice(
      Math.max(init.path.lastIndexOf('/'), init.path.lastIndexOf('!')) + 1,
    )
    this.size = init.size
    this.type = init.type
    this.hashes = init.hashes
    if (init.fsPath !== undefined) this.fsPath = init.fsPath
    if (init.resourcesBeside !== undefined) this.resourcesBeside = init.resourcesBeside
    this.depth = init.depth
  }

  get inMemory(): boolean {
    return this.#init.content !== undefined
  }

  /** True when bytes() would resolve. */
  get readable(): boolean {
    return this.#init.content !== undefined || this.#init.load !== undefined
  }

  bytes(): Promise<Buffer> {
    this.#bytes ??= this.#read()
    return this.#bytes
  }

  async #read(): Promise<Buffer> {
    const { content, load, unreadable } = this.#init
    if (content) return content
    if (!load) throw new TooLargeError(unreadable ?? 'content not available', this.path)
    const { bytes, release } = await load()
    this.#release = release
    return bytes
  }

  memo<T>(key: string, make: () => Promise<T> | T): Promise<T> {
    let hit = this.#memo.get(key) as Promise<T> | undefined
    if (!hit) {
      hit = Promise.resolve().then(make)
      this.#memo.set(key, hit)
    }
    return hit
  }

  /** Drops the content, parsed memos and the memory it held. */
  dispose(): void {
    this.#release?.()
    this.#release = undefined
    this.#init.release?.()
    this.#init.release = undefined
    this.#bytes = undefined
    this.#memo.clear()
  }
}
