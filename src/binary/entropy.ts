/**
 * Shannon entropy in bits per byte (0 for empty or constant data, 8 for uniformly random bytes),
 * shared by every binary format's sections, segments and overlays.
 */
export function shannonEntropy(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const from = Math.max(0, Math.min(start, bytes.length))
  const to = Math.max(from, Math.min(end, bytes.length))
  const n = to - from
  if (n === 0) return 0
  // Four interleaved tables break the dependency between neighbouring increments of the same
  // byte value; about twice as fast as one table on large sections.
  const counts = new Uint32Array(1024)
  let i = from
  for (const stop = to - 3; i < stop; i += 4) {
    counts[bytes[i]!]!++
    counts[256 + bytes[i + 1]!]!++
    counts[512 + bytes[i + 2]!]!++
    counts[768 + bytes[i + 3]!]!++
  }
  for (; i < to; i++) counts[bytes[i]!]!++
  for (let v = 0; v < 256; v++)
    counts[v] = counts[v]! + counts[256 + v]! + counts[512 + v]! + counts[768 + v]!
  let h = 0
  for (let v = 0; v < 256; v++) {
    const c = counts[v]!
    if (c === 0) continue
    const p = c / n
    h -= p * Math.log2(p)
  }
  return h
}

/** Entropy rounded to three decimals, for reports and golden files. */
export function roundedEntropy(bytes: Uint8Array, start?: number, end?: number): number {
  return Math.round(shannonEntropy(bytes, start, end) * 1000) / 1000
}
