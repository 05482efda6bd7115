import { describe, expect, it } from 'vitest'
import { MemoryBudget, sharedBudgetState } from './memory-budget.js'

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

  it('lets smaller requests pass one that needs the whole budget, which then runs alone', async () => {
    const b = new MemoryBudget(100)
    const r1 = await b.acquire(10, {})
    const order: string[] = []
    const big = b.acquire(500, {}).then((r) => {
      order.push(`big alone: ${b.used === 500}`)
      r()
    })
    const small = await b.acquire(10, {})
    order.push('small')
    r1()
    small()
    await big
    expect(order).toEqual(['small', 'big alone: true'])
  })

  it('holds one budget across threads sharing its state (a release elsewhere wakes a waiter)', async () => {
    const state = sharedBudgetState(2)
    const t0 = new MemoryBudget(100, { state, slot: 0 })
    const t1 = new MemoryBudget(100, { state, slot: 1 })
    const r0 = await t0.acquire(80, {})
    let granted = false
    const p = t1.acquire(50, {}).then((r) => {
      granted = true
      return r
    })
    await new Promise((r) => setTimeout(r, 10))
    expect(granted).toBe(false)
    expect(t1.used).toBe(80)
    r0()
    const r1 = await p
    expect(t0.used).toBe(50)
    r1()
    expect(t0.used).toBe(0)
  })

  it('runs a file larger than the budget alone, across threads', async () => {
    const state = sharedBudgetState(2)
    const t0 = new MemoryBudget(100, { state, slot: 0 })
    const t1 = new MemoryBudget(100, { state, slot: 1 })
    const small = await t0.acquire(10, {})
    let usedWhenGranted = -1
    const big = t1.acquire(500, {}).then((r) => {
      usedWhenGranted = t1.used
      r()
    })
    await new Promise((r) => setTimeout(r, 10))
    expect(usedWhenGranted).toBe(-1)
    small()
    await big
    expect(usedWhenGranted).toBe(500)
  })

  it('takes back what a dead thread held', async () => {
    const state = sharedBudgetState(2)
    const t0 = new MemoryBudget(100, { state, slot: 0 })
    const t1 = new MemoryBudget(100, { state, slot: 1 })
    await t1.acquire(90, {}) // never released: the thread "dies"
    const p = t0.acquire(50, {})
    t0.reclaim(1)
    const r = await p
    expect(t0.used).toBe(50)
    r()
  })
})
