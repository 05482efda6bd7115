import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Hasher, type HashKind, hashWhole } from './hash.js'

describe('hashes', () => {
  const all = new Set<HashKind>(['sha256', 'sha1', 'md5'])
  const expected = (data: Buffer, kinds: readonly HashKind[]) =>
    Object.fromEntries(kinds.map((k) => [k, createHash(k).update(data).digest('hex')]))

  it('hashes a whole content and a streamed one alike, only the kinds asked for', () => {
    for (const data of [Buffer.alloc(0), Buffer.from('abc'), randomBytes(2 * 1024 * 1024 + 3)]) {
      expect(hashWhole(all, data)).toEqual(expected(data, ['sha256', 'sha1', 'md5']))
      expect(hashWhole(new Set(['md5']), data)).toEqual(expected(data, ['sha256', 'md5']))
      expect(hashWhole(new Set(), data)).toEqual(expected(data, ['sha256']))
      const h = new Hasher(all)
      for (let at = 0; at < data.length; at += 1_000_003)
        h.update(data.subarray(at, at + 1_000_003))
      expect(h.digest()).toEqual(hashWhole(all, data))
    }
  })

  it('hashes only the bytes of a view, not the rest of its buffer', () => {
    const buf = Buffer.from('xxabcxx')
    expect(hashWhole(all, buf.subarray(2, 5))).toEqual(expected(Buffer.from('abc'), [...all]))
  })
})
