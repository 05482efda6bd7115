import { createHash, type Hash } from 'node:crypto'
import type { Hashes } from '../core/artifact.js'

export type HashKind = 'sha256' | 'sha1' | 'md5'

/** Incremental hashes: SHA-256 always, SHA-1 and MD5 only when asked for. */
export class Hasher {
  readonly #hashes: [HashKind, Hash][]

  constructor(kinds: ReadonlySet<HashKind>) {
    this.#hashes = [['sha256', createHash('sha256')]]
    if (kinds.has('sha1')) this.#hashes.push(['sha1', createHash('sha1')])
    if (kinds.has('md5')) this.#hashes.push(['md5', createHash('md5')])
  }

  update(chunk: Buffer): void {
    for (const [, h] of this.#hashes) h.update(chunk)
  }

  digest(): Hashes {
    const out: Partial<Record<HashKind, string>> = {}
    for (const [kind, h] of this.#hashes) out[kind] = h.digest('hex')
    return out as Hashes
  }
}
