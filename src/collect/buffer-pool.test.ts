import { describe, expect, it } from 'vitest'
import { BufferPool } from './buffer-pool.js'

describe('BufferPool', () => {
  it('lends a buffer of the size asked and takes it back for the next file', () => {
    const pool = new BufferPool(64 << 20, 1)
    const a = pool.take(1000)
    expect(a.buf.length).toBe(1000)
    a.buf.fill(7)
    a.give()
    a.give() // idempotent
    const b = pool.take(2000)
    expect(b.buf.length).toBe(2000)
    expect(b.buf[0]).toBe(7) // the same memory, reused
    b.give()
    const big = pool.take(48 << 20) // over what a free arena keeps
    big.give()
    expect(big.buf.length).toBe(0) // shrunk below its size: a stale view reads as empty
  })

  it('allocates a plain buffer when every arena is lent or the size is over the maximum', () => {
    const pool = new BufferPool(1000, 1)
    const a = pool.take(10)
    const b = pool.take(10)
    const big = pool.take(5000)
    expect([a.buf.length, b.buf.length, big.buf.length]).toEqual([10, 10, 5000])
    b.give()
    big.give()
    expect(b.buf.length).toBe(10) // plain buffers stay as they are
    a.give()
  })

  it('keeps pages in one free arena only; the others give back all their memory', () => {
    const pool = new BufferPool(64 << 20, 3)
    const lent = [pool.take(1000), pool.take(1000), pool.take(1000)]
    for (const l of lent) l.give()
    expect(lent.map((l) => l.buf.length)).toEqual([1000, 0, 0])
  })

  it('lends a smaller file a view of an arena that holds it, with no resize', () => {
    const pool = new BufferPool(64 << 20, 2)
    const a = pool.take(2 << 20)
    a.give() // kept: 2 MiB committed
    const small = pool.take(1 << 20)
    expect(small.buf.buffer.byteLength).toBe(2 << 20) // a view of the 2 MiB, not shrunk
    const mid = pool.take(3 << 20) // the other arena, grown from nothing
    expect(mid.buf.buffer.byteLength).toBe(3 << 20)
    small.give() // kept
    mid.give() // one arena already keeps pages: this one gives them back
    expect(mid.buf.length).toBe(0)
    const grown = pool.take(7 << 20) // none holds 7 MiB: the largest grows
    expect(grown.buf.buffer.byteLength).toBe(7 << 20)
    grown.give()
  })
})
