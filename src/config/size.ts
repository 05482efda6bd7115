const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  mb: 1000 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  gb: 1000 ** 3,
  t: 1024 ** 4,
  tib: 1024 ** 4,
  tb: 1000 ** 4,
}

/**
 * A byte size from config or a flag: a whole number of bytes, or a number with a unit. `K`, `M`,
 * `G`, `T` and `KiB` … `TiB` are powers of 1024; `KB` … `TB` are powers of 1000. Case-insensitive.
 * Returns undefined for anything else (negative, not finite, unknown unit, not a whole byte count).
 */
export function parseSize(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v)
  const unit = UNITS[m?.[2]?.toLowerCase() ?? 'x']
  if (!m || unit === undefined) return undefined
  const n = Math.round(Number(m[1]) * unit)
  return Number.isSafeInteger(n) ? n : undefined
}
