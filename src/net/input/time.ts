const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/

/** ISO-8601 (`2021-06-06T15:57:37.272281+0200`, `…Z`, no zone = UTC) → epoch seconds; NaN if not. */
export function parseIsoTime(text: string): number {
  const m = ISO.exec(text)
  if (!m) return Number.NaN
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const base =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000
  let offset = 0
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    offset = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60)
  }
  return base + (frac ? Number(frac) : 0) - offset
}

/** A JSON `ts`: epoch seconds as number or string, or ISO-8601 text. NaN when neither. */
export function parseJsonTime(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN
  if (typeof v !== 'string') return Number.NaN
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v)
  return parseIsoTime(v)
}

/** Epoch seconds → ISO-8601 UTC text, for evidence. */
export function isoOf(ts: number): string {
  return Number.isFinite(ts) ? new Date(Math.round(ts * 1000)).toISOString() : ''
}
