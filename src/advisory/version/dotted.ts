/**
 * Dotted-numeric ordering for vendor products and unknown schemes: 18.12.416 < 18.12.422,
 * 4-part Windows file versions (18.12.416.0 = 18.12.416), build and hotfix suffixes
 * (`2019.4 HF 5` < `2019.4 HF 6`, `5.33.6162` < `5.34`). Numbers compare numerically; trailing
 * zero components do not count; pre-release words (alpha, beta, rc, pre, preview, dev) sort
 * before the release, other words (build, hf, sp, update, patch, p, r) after it.
 */

import { memoParse } from './memo.js'

type Token = number | string

const PRE_WORDS = ['dev', 'snapshot', 'alpha', 'a', 'beta', 'b', 'preview', 'pre', 'rc']

/** Splits into numbers and words, lowercased, with each numeric run's trailing zeros dropped. */
export function dottedTokens(v: string): Token[] {
  const raw =
    v
      .toLowerCase()
      .replace(/^v(?=\d)/, '')
      .match(/\d+|[a-z]+/g) ?? []
  const out: Token[] = []
  for (const t of raw) {
    if (/^\d/.test(t)) out.push(Number(t.length > 15 ? t.slice(0, 15) : t))
    else {
      dropTrailingZeros(out)
      out.push(t)
    }
  }
  dropTrailingZeros(out)
  return out
}

function dropTrailingZeros(out: Token[]): void {
  while (out.length > 1 && out[out.length - 1] === 0 && typeof out[out.length - 2] === 'number') {
    out.pop()
  }
}

function preRank(t: Token | undefined): number {
  return typeof t === 'string' ? PRE_WORDS.indexOf(t) : -1
}

const tokensCached = memoParse(dottedTokens)

export function compareDotted(a: string, b: string): number {
  const x = tokensCached(a)
  const y = tokensCached(b)
  const n = Math.max(x.length, y.length)
  for (let i = 0; i < n; i++) {
    const c = compareToken(x[i], y[i])
    if (c) return c
  }
  return 0
}

function compareToken(p: Token | undefined, q: Token | undefined): number {
  if (p === q) return 0
  const pp = preRank(p)
  const qp = preRank(q)
  if (pp >= 0 || qp >= 0) {
    if (pp >= 0 && qp >= 0) return Math.sign(pp - qp)
    return pp >= 0 ? -1 : 1
  }
  if (p === undefined) return q === 0 ? 0 : -1
  if (q === undefined) return p === 0 ? 0 : 1
  if (typeof p === 'number' && typeof q === 'number') return p < q ? -1 : 1
  if (typeof p === 'number') return 1
  if (typeof q === 'number') return -1
  return 0
}
