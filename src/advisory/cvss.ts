/**
 * CVSS v3.0/v3.1 base score from a vector string (`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`),
 * computed with the specification's formulas. `undefined` when the vector is not a complete,
 * valid v3 base vector.
 */

const W = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const

const PR_UNCHANGED = { N: 0.85, L: 0.62, H: 0.27 } as const
const PR_CHANGED = { N: 0.85, L: 0.68, H: 0.5 } as const

/** CVSS v3.1 Roundup: the smallest one-decimal number ≥ x, robust to float error. */
export function roundUp(x: number): number {
  const i = Math.round(x * 100000)
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10
}

function metrics(vector: string): Map<string, string> | undefined {
  const parts = vector.trim().split('/')
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? '')) return undefined
  const m = new Map<string, string>()
  for (const p of parts.slice(1)) {
    const [k, v] = p.split(':')
    if (!k || !v || m.has(k)) return undefined
    m.set(k, v)
  }
  return m
}

function pick<T extends Record<string, number>>(
  table: T,
  key: string | undefined,
): number | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined
}

export function cvss3BaseScore(vector: string): number | undefined {
  const m = metrics(vector)
  if (!m) return undefined
  const scope = m.get('S')
  if (scope !== 'U' && scope !== 'C') return undefined
  const av = pick(W.AV, m.get('AV'))
  const ac = pick(W.AC, m.get('AC'))
  const pr = pick(scope === 'C' ? PR_CHANGED : PR_UNCHANGED, m.get('PR'))
  const ui = pick(W.UI, m.get('UI'))
  const c = pick(W.CIA, m.get('C'))
  const i = pick(W.CIA, m.get('I'))
  const a = pick(W.CIA, m.get('A'))
  if (av === undefined || ac === undefined || pr === undefined || ui === undefined) return undefined
  if (c === undefined || i === undefined || a === undefined) return undefined
  const iss = 1 - (1 - c) * (1 - i) * (1 - a)
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15
  const exploitability = 8.22 * av * ac * pr * ui
  if (impact <= 0) return 0
  const raw = scope === 'U' ? impact + exploitability : 1.08 * (impact + exploitability)
  return roundUp(Math.min(raw, 10))
}
