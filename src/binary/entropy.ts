/**
 * Shannon entropy in bits per byte (0 for empty or constant data, 8 for uniformly random bytes),
 * shared by every binary format's sections, segments and overlays.
 */
export function shannonEntropy(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const from = Math.max(0, Math.min(start, bytes.length))
  const to = Math.max(from, Math.min(end, bytes.length))
  const n = to - from
  if (n === 0) return 0
  const counts = new Uint32Array(256)
  for (let i = from; i < to; i++) counts[bytes[i]!]!++
  let h = 0
  for (const c of counts) {
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
