/**
 * Version strings of vendor products, as resources and plists spell them: the leading dotted
 * number, commas accepted (`18, 12, 416, 0`), trailing text dropped (`10.0.19041.1 (WinBuild…)`),
 * and a fourth component of 0 dropped (`18.12.416.0` → `18.12.416`) since vendors publish three.
 */
export function cleanVersion(raw: string | undefined): string | undefined {
  const m = raw ? /\d+(?:\s*[.,]\s*\d+){0,3}/.exec(raw) : null
  if (!m) return undefined
  const parts = m[0].split(/\s*[.,]\s*/)
  if (parts.length === 4 && /^0+$/.test(parts[3]!)) parts.pop()
  return parts.map((p) => String(Number.parseInt(p, 10))).join('.')
}

/** The first of `candidates` that has at least two numeric components, cleaned. */
export function bestVersion(...candidates: (string | undefined)[]): string | undefined {
  for (const c of candidates) {
    const v = cleanVersion(c)
    if (v?.includes('.')) return v
  }
  for (const c of candidates) {
    const v = cleanVersion(c)
    if (v) return v
  }
  return undefined
}
