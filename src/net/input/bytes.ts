/** Byte-level number parsing for the hot paths of the log readers (no intermediate strings). */

/** Unsigned decimal integer in `buf[s, e)`; NaN when empty or not all digits. */
export function parseUint(buf: Buffer, s: number, e: number): number {
  if (s >= e) return Number.NaN
  let n = 0
  for (let i = s; i < e; i++) {
    const d = buf[i]! - 48
    if (d < 0 || d > 9) return Number.NaN
    n = n * 10 + d
  }
  return n
}

/** Decimal number `[-]digits[.digits]` in `buf[s, e)`; NaN when malformed. */
export function parseDecimal(buf: Buffer, s: number, e: number): number {
  let neg = false
  if (s < e && buf[s] === 45) {
    neg = true
    s++
  }
  if (s >= e) return Number.NaN
  let n = 0
  let i = s
  for (; i < e; i++) {
    const c = buf[i]!
    if (c === 46) break
    const d = c - 48
    if (d < 0 || d > 9) return slowNumber(buf, s, e, neg)
    n = n * 10 + d
  }
  if (i < e) {
    let scale = 0.1
    for (i++; i < e; i++) {
      const d = buf[i]! - 48
      if (d < 0 || d > 9) return slowNumber(buf, s, e, neg)
      n += d * scale
      scale *= 0.1
    }
  }
  return neg ? -n : n
}

/**
 * parseDecimal writing into `out[i]` instead of returning: a double returned from a call that is
 * not inlined is boxed, and the conn.log hot path does this for every record. False when malformed.
 */
export function decimalInto(
  buf: Buffer,
  s: number,
  e: number,
  out: Float64Array,
  i: number,
): boolean {
  if (s >= e) return false
  let n = 0
  let k = s
  for (; k < e; k++) {
    const c = buf[k]!
    if (c === 46) break
    const d = c - 48
    if (d < 0 || d > 9) return false
    n = n * 10 + d
  }
  if (k < e) {
    let scale = 0.1
    for (k++; k < e; k++) {
      const d = buf[k]! - 48
      if (d < 0 || d > 9) return false
      n += d * scale
      scale *= 0.1
    }
  }
  out[i] = n
  return true
}

/** Exponent forms (`1.5e+09`) and anything unusual: let the engine decide. */
function slowNumber(buf: Buffer, s: number, e: number, neg: boolean): number {
  const text = buf.toString('latin1', s, e)
  if (!/^\d+(\.\d*)?([eE][+-]?\d+)?$/.test(text)) return Number.NaN
  const n = Number(text)
  return neg ? -n : n
}

/** True when `buf[s, e)` equals the ASCII string `text`. */
export function bytesEqual(buf: Buffer, s: number, e: number, text: string): boolean {
  if (e - s !== text.length) return false
  for (let i = 0; i < text.length; i++) if (buf[s + i] !== text.charCodeAt(i)) return false
  return true
}
