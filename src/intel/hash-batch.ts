import type { FileIndicator } from './records.js'

export type HashType = 'sha256' | 'sha1' | 'md5'
export const DIGEST_BYTES: Record<HashType, number> = { sha256: 32, sha1: 20, md5: 16 }

/** What every hash of a batch shares: a file indicator without value (and, with ids, without id). */
export type HashTemplate = Omit<FileIndicator, 'value' | 'type'>

/**
 * Per-hash ids, kept compact: `prefix` + the n-th space-separated suffix of `suffixes` (for CSV
 * imports, `file.csv#` + line numbers), split only when a hash is actually found.
 */
export interface BatchIds {
  prefix: string
  suffixes: string
}

/** A batch as plain data for another thread: its arrays live in SharedArrayBuffers (not copied). */
export interface HashBatchSnapshot {
  type: HashType
  words: Uint32Array
  table: Int32Array
  template: HashTemplate
  ids?: BatchIds
}

/**
 * Many hash indicators with the same provenance, kept as packed binary digests with an
 * open-addressing table over them: building is typed-array passes and a lookup is O(1) whatever
 * the count, so a million indicators load in about a second. Records are made only on a hit. Both
 * arrays live in SharedArrayBuffers, so worker threads share them (see snapshot()).
 */
export class HashBatch {
  readonly count: number
  private readonly n: number
  private readonly mask: number
  private readonly probe: Buffer
  private readonly probeWords: Uint32Array
  private idCache?: string[]

  private constructor(
    readonly type: HashType,
    private readonly words: Uint32Array,
    private readonly table: Int32Array,
    readonly template: HashTemplate,
    private readonly ids?: BatchIds,
  ) {
    this.n = DIGEST_BYTES[type] / 4
    this.count = words.length / this.n
    this.mask = table.length - 1
    this.probeWords = new Uint32Array(this.n)
    this.probe = Buffer.from(this.probeWords.buffer)
  }

  /** Builds a batch from concatenated binary digests (`digests.length` a multiple of the width). */
  static build(type: HashType, digests: Buffer, template: HashTemplate, ids?: BatchIds): HashBatch {
    const n = DIGEST_BYTES[type] / 4
    const count = Math.floor(digests.length / (n * 4))
    const words = new Uint32Array(new SharedArrayBuffer(count * n * 4))
    Buffer.from(words.buffer).set(digests.subarray(0, count * n * 4))
    let size = 16
    while (size < count * 2) size *= 2
    const table = new Int32Array(new SharedArrayBuffer(size * 4))
    fill(table, words, n, count)
    return new HashBatch(type, words, table, template, ids)
  }

  /** The same batch on another thread, without rebuilding the table. */
  static fromSnapshot(s: HashBatchSnapshot): HashBatch {
    return new HashBatch(s.type, s.words, s.table, s.template, s.ids)
  }

  snapshot(): HashBatchSnapshot {
    const s: HashBatchSnapshot = {
      type: this.type,
      words: this.words,
      table: this.table,
      template: this.template,
    }
    if (this.ids) s.ids = this.ids
    return s
  }

  /** Builds a batch from concatenated hex; undefined when the text is not whole digests. */
  static fromHex(
    type: HashType,
    hex: string,
    template: HashTemplate,
    ids?: BatchIds,
  ): HashBatch | undefined {
    const width = DIGEST_BYTES[type]
    if (hex.length % (width * 2) !== 0) return undefined
    const digests = Buffer.from(hex, 'hex')
    if (digests.length * 2 !== hex.length) return undefined
    const batch = HashBatch.build(type, digests, template, ids)
    if (ids && batch.idList().length !== batch.count) return undefined
    return batch
  }

  /** Index of the digest given as hex (any case), or -1. */
  find(hex: string): number {
    if (hex.length !== this.n * 8) return -1
    if (this.probe.write(hex, 'hex') !== this.n * 4) return -1
    const p = this.probeWords
    let slot = mix(p, 0, this.n) & this.mask
    for (;;) {
      const entry = this.table[slot]!
      if (entry === 0) return -1
      const at = (entry - 1) * this.n
      let k = 0
      while (k < this.n && this.words[at + k] === p[k]) k++
      if (k === this.n) return entry - 1
      slot = (slot + 1) & this.mask
    }
  }

  valueAt(i: number): string {
    return Buffer.from(
      this.words.buffer,
      this.words.byteOffset + i * this.n * 4,
      this.n * 4,
    ).toString('hex')
  }

  record(i: number): FileIndicator {
    const id = this.ids ? `${this.ids.prefix}${this.idList()[i]}` : this.template.id
    return { ...this.template, kind: 'file', type: this.type, value: this.valueAt(i), id }
  }

  /** Concatenated lowercase hex of every digest (the stored form). */
  hex(): string {
    return Buffer.from(this.words.buffer, this.words.byteOffset, this.words.byteLength).toString(
      'hex',
    )
  }

  idList(): readonly string[] {
    this.idCache ??= this.ids ? this.ids.suffixes.split(' ') : []
    return this.idCache
  }

  compactIds(): BatchIds | undefined {
    return this.ids
  }
}

/** Mixes every 32-bit word of a digest (FNV-style), so sequential or crafted values still spread. */
function mix(words: Uint32Array, at: number, n: number): number {
  let h = 0x811c9dc5
  for (let k = 0; k < n; k++) {
    h = Math.imul(h ^ words[at + k]!, 0x01000193)
    h ^= h >>> 15
  }
  return Math.imul(h, 0x9e3779b1) >>> 0
}

/** Open addressing with linear probing; slot value is index + 1 (0 = empty). */
function fill(table: Int32Array, words: Uint32Array, n: number, count: number): void {
  const mask = table.length - 1
  for (let i = 0; i < count; i++) {
    let slot = mix(words, i * n, n) & mask
    while (table[slot] !== 0) slot = (slot + 1) & mask
    table[slot] = i + 1
  }
}

/** Splits ids into a common prefix and space-free suffixes, or undefined when that is not possible. */
export function compactIds(ids: readonly string[]): BatchIds | undefined {
  const first = ids[0]
  if (first === undefined) return undefined
  let prefix = first
  for (const id of ids) {
    while (!id.startsWith(prefix)) prefix = prefix.slice(0, -1)
    if (!prefix) break
  }
  const suffixes = ids.map((id) => id.slice(prefix.length))
  if (suffixes.some((s) => s === '' || /\s/.test(s))) return undefined
  return { prefix, suffixes: suffixes.join(' ') }
}
