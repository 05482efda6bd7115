import { describe, expect, it } from 'vitest'
import { MemoryBudget } from './memory-budget.js'

describe('MemoryBudget', () => {
  it('makes a request wait until enough is released', async () => {
    const b = new MemoryBudget(100)
    const a = {}
    const c = {}
    const r1 = await b.acquire(80, a)
    let granted = false
    const p = b.acquire(50, c).then((r) => {
      granted = true
      return r
    })
    await new Promise((r) => setTimeout(r, 10))
    expect(granted).toBe(false)
    r1()
    const r2 = await p
    expect(b.used).toBe(50)
    r2()
    r2() // idempotent
    expect(b.used).toBe(0)
  })

  it('grants a request larger than the budget when nothing is held', async () => {
    const b = new MemoryBudget(10)
    const r = await b.acquire(1000, {})
    expect(b.used).toBe(1000)
    r()
  })

  it('never blocks an owner that already holds memory (nested archives)', async () => {
    const b = new MemoryBudget(100)
    const owner = {}
    const other = {}
    const parent = await b.acquire(60, owner)
    const o = await b.acquire(30, other)
    const child = await b.acquire(50, owner) // over budget, but granted: no deadlock
    expect(b.used).toBe(140)
    child()
    parent()
    o()
    expect(b.used).toBe(0)
  })

  it('queues new requests behind one that needs the whole budget', async () => {
    const b = new MemoryBudget(100)
    const r1 = await b.acquire(10, {})
    const order: string[] = []
    const big = b.acquire(500, {}).then((r) => {
      order.push('big')
      r()
    })
    const small = b.acquire(10, {}).then((r) => {
      order.push('small')
      r()
    })
    r1()
    await Promise.all([big, small])
    expect(order).toEqual(['big', 'small'])
  })
})
