/**
 * Mutation fuzzing for the binary parsers' tests: deterministic pseudo-random mutations of real
 * fixtures (bit flips, byte stores, truncation, length/offset fields set to extremes, chunk
 * copies). Iterations come from `VIGIL_FUZZ_ITERATIONS` (default 20,000 per parser).
 */

export function fuzzIterations(fallback = 20_000): number {
  const n = Number(process.env.VIGIL_FUZZ_ITERATIONS)
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback
}

/** Test timeout for a fuzz run: generous per input, so the long run is bounded only by its work. */
export function fuzzTimeout(): number {
  return 120_000 + fuzzIterations() * 10
}

/** xorshift32: small, fast, reproducible from a seed. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 0x100000000
  }
}

/** mulberry32: the generator of the text and report fuzz tests (their seeds replay with it). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const EXTREMES = [
  0, 1, 2, 4, 8, 0x10, 0x7f, 0x80, 0xff, 0x100, 0x1000, 0x7fff, 0x8000, 0xffff, 0x7fffffff,
  0x80000000, 0xfffffff0, 0xffffffff,
]

/**
 * One mutated copy of `seed`. Offsets favour the first `hot` bytes (headers and load commands)
 * half of the time; `extraHot` adds regions worth aiming at (e.g. a signature blob).
 */
export function mutate(
  seed: Uint8Array,
  next: () => number,
  hot = 8192,
  extraHot: [number, number][] = [],
): Uint8Array {
  let b = new Uint8Array(seed)
  const pick = (): number => {
    const r = next()
    if (r < 0.45) return Math.floor(next() * Math.min(hot, b.length))
    const region = extraHot[Math.floor(next() * (extraHot.length + 1))]
    if (r < 0.7 && region) return region[0] + Math.floor(next() * Math.max(1, region[1]))
    return Math.floor(next() * b.length)
  }
  const rounds = 1 + Math.floor(next() * 4)
  for (let i = 0; i < rounds && b.length > 0; i++) {
    const kind = Math.floor(next() * 8)
    const at = Math.min(pick(), b.length - 1)
    if (kind <= 1) b[at] = b[at]! ^ (1 << Math.floor(next() * 8))
    else if (kind === 2) b[at] = Math.floor(next() * 256)
    else if (kind === 3 || kind === 4) {
      const v = EXTREMES[Math.floor(next() * EXTREMES.length)]!
      const le = next() < 0.5
      const aligned = at & ~3
      if (aligned + 4 <= b.length) new DataView(b.buffer).setUint32(aligned, v >>> 0, le)
    } else if (kind === 5) {
      b = b.slice(0, Math.floor(next() * b.length))
    } else if (kind === 6) {
      const len = Math.min(1 + Math.floor(next() * 64), b.length - at)
      const from = Math.floor(next() * Math.max(1, b.length - len))
      b.copyWithin(at, from, from + len)
    } else {
      const aligned = at & ~7
      if (aligned + 8 <= b.length)
        new DataView(b.buffer).setBigUint64(
          aligned,
          next() < 0.5 ? 0xffffffffffffffffn : BigInt(Math.floor(next() * 2 ** 40)),
          next() < 0.5,
        )
    }
  }
  return b
}

export interface FuzzStats {
  inputs: number
  maxMs: number
  totalMs: number
}

/** Runs `parse` over `iterations` mutations of the seeds; returns timing; lets exceptions escape. */
export function fuzz(
  seeds: { bytes: Uint8Array; weight: number; extraHot?: [number, number][] }[],
  parse: (b: Uint8Array) => unknown,
  iterations: number,
  seed = 1,
): FuzzStats {
  const next = rng(seed)
  const total = seeds.reduce((s, x) => s + x.weight, 0)
  const stats: FuzzStats = { inputs: 0, maxMs: 0, totalMs: 0 }
  for (let i = 0; i < iterations; i++) {
    const s = pickWeighted(seeds, next() * total)
    const input = mutate(s.bytes, next, 8192, s.extraHot)
    let ms = timed(parse, input)
    // A pause of the whole process (GC, a busy machine) is not the parser's: time it once more.
    if (ms > 100) ms = Math.min(ms, timed(parse, input))
    stats.inputs++
    stats.totalMs += ms
    if (ms > stats.maxMs) stats.maxMs = ms
  }
  return stats
}

function pickWeighted<T extends { weight: number }>(items: T[], at: number): T {
  let r = at
  for (const x of items) {
    r -= x.weight
    if (r < 0) return x
  }
  return items[0]!
}

function timed(parse: (b: Uint8Array) => unknown, input: Uint8Array): number {
  const t = performance.now()
  parse(input)
  return performance.now() - t
}
