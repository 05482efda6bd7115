import * as crypto from 'node:crypto'
import { createHash, type Hash } from 'node:crypto'
import type { Hashes } from '../core/artifact.js'

export type HashKind = 'sha256' | 'sha1' | 'md5'

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'hex') => string
// crypto.hash (Node >= 20.12): a digest without a Hash object, which costs more than hashing a
// small file. Looked up, not imported by name, so older Node 20 releases fall back to createHash.
const oneShot = (crypto as { hash?: OneShot }).hash

/** The hashes of a whole content at once (SHA-256 always, SHA-1 and MD5 when asked for). */
export function hashWhole(kinds: ReadonlySet<HashKind>, data: Uint8Array): Hashes {
  const digest = (kind: HashKind) =>
    oneShot ? oneShot(kind, data, 'hex') : createHash(kind).update(data).digest('hex')
  const out: Partial<Record<HashKind, string>> = { sha256: digest('sha256') }
  if (kinds.has('sha1')) out.sha1 = digest('sha1')
  if (kinds.has('md5')) out.md5 = digest('md5')
  return out as Hashes
}

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
