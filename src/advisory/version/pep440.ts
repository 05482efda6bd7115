import { compareDotted } from './dotted.js'
import { memoParse } from './memo.js'

/**
 * PEP 440 version ordering (PyPI): `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, with the
 * spelling variants the PEP normalises (alpha, beta, c, pre, preview, rev, r, `-N` post, `_`/`-`
 * separators, a leading `v`).
 */

export interface Pep440Version {
  epoch: number
  release: number[]
  pre?: [number, number]
  post?: number
  dev?: number
  local?: (number | string)[]
}

const PATTERN =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1 }

export function parsePep440(v: string): Pep440Version | undefined {
  const m = PATTERN.exec(v.trim())
  if (!m) return undefined
  const out: Pep440Version = {
    epoch: m[1] ? Number(m[1]) : 0,
    release: m[2]!.split('.').map(Number),
  }
  if (m[3]) out.pre = [PRE_RANK[m[3].toLowerCase()] ?? 2, Number(m[4] ?? 0)]
  if (m[5] !== undefined) out.post = Number(m[5])
  else if (m[6]) out.post = Number(m[7] ?? 0)
  if (m[8]) out.dev = Number(m[9] ?? 0)
  if (m[10]) {
    out.local = m[10]
      .toLowerCase()
      .split(/[-_.]/)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
  }
  return out
}

function cmpNum(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function cmpRelease(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const c = cmpNum(a[i] ?? 0, b[i] ?? 0)
    if (c) return c
  }
  return 0
}

/** The pre-release key: dev-only releases sort before any pre-release, finals after all. */
function preKey(v: Pep440Version): [number, number] {
  if (v.pre) return v.pre
  if (v.post === undefined && v.dev !== undefined) return [-1, 0]
  return [3, 0]
}

function cmpLocal(a: (number | string)[] | undefined, b: (number | string)[] | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a[i]!
    const y = b[i]!
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return cmpNum(x, y)
    } else if (typeof x === 'number') return 1
    else if (typeof y === 'number') return -1
    else if (x !== y) return x < y ? -1 : 1
  }
  return cmpNum(a.length, b.length)
}

export function comparePep440Parsed(a: Pep440Version, b: Pep440Version): number {
  const [pa0, pa1] = preKey(a)
  const [pb0, pb1] = preKey(b)
  return (
    cmpNum(a.epoch, b.epoch) ||
    cmpRelease(a.release, b.release) ||
    cmpNum(pa0, pb0) ||
    cmpNum(pa1, pb1) ||
    cmpNum(a.post ?? -1, b.post ?? -1) ||
    cmpNum(a.dev ?? Number.POSITIVE_INFINITY, b.dev ?? Number.POSITIVE_INFINITY) ||
    cmpLocal(a.local, b.local)
  )
}

/** PEP 440 ordering; strings that are not PEP 440 versions fall back to dotted-numeric. */
const parseCached = memoParse(parsePep440)

export function comparePep440(a: string, b: string): number {
  const x = parseCached(a)
  const y = parseCached(b)
  if (x && y) return comparePep440Parsed(x, y)
  return compareDotted(a, b)
}
