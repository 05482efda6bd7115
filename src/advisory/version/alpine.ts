import { compareDotted } from './dotted.js'

/**
 * Alpine apk ordering (apk-tools version.c): `N(.N)*[a-z](_suffix[N])*[-rN]`. Pre-release
 * suffixes `_alpha < _beta < _pre < _rc` sort before the plain version, post suffixes
 * `_cvs < _svn < _git < _hg < _p` after it; `-rN` is the package revision. A component after a
 * dot that starts with zeros compares as a fraction (1.01 < 1.1). Invalid strings fall back to
 * dotted-numeric.
 */

enum T {
  Invalid = -1,
  DigitOrZero = 0,
  Digit = 1,
  Letter = 2,
  Suffix = 3,
  SuffixNo = 4,
  RevisionNo = 5,
  End = 6,
}

const PRE = ['alpha', 'beta', 'pre', 'rc']
const POST = ['cvs', 'svn', 'git', 'hg', 'p']

interface Tok {
  type: T
  value: number
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'
const isLower = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z'

interface Read {
  value: number
  p: number
  /** Set when the token fixes the next token's type (leading zeros are followed by digits). */
  nextType?: T
  /** An unknown suffix name or a token that cannot appear here. */
  invalid?: boolean
}

function readDigits(s: string, p: number): Read {
  let value = 0
  while (isDigit(s[p])) value = value * 10 + Number(s[p++])
  return { value, p }
}

/** A suffix name: pre-release ones negative (alpha -4 … rc -1), post ones positive (cvs 1 … p 5). */
function readSuffix(s: string, p: number): Read {
  const rest = s.slice(p)
  const pre = PRE.findIndex((x) => rest.startsWith(x))
  if (pre >= 0) return { value: pre - PRE.length, p: p + PRE[pre]!.length }
  const post = POST.findIndex((x) => rest.startsWith(x))
  if (post >= 0) return { value: post + 1, p: p + POST[post]!.length }
  return { value: -1, p, invalid: true }
}

/** One token's value at `p`, read as `type` says (apk's get_token). */
function readToken(type: T, s: string, p: number): Read {
  if (type === T.DigitOrZero && s[p] === '0') {
    let q = p
    while (s[q] === '0') q++
    return { value: -(q - p), p: q, nextType: T.Digit }
  }
  switch (type) {
    case T.DigitOrZero:
    case T.Digit:
    case T.SuffixNo:
    case T.RevisionNo:
      return readDigits(s, p)
    case T.Letter:
      return { value: s.charCodeAt(p), p: p + 1 }
    case T.Suffix:
      return readSuffix(s, p)
    default:
      return { value: 0, p, invalid: true }
  }
}

/** Tokens of an apk version; the last is End or Invalid. */
export function apkTokens(version: string): Tok[] {
  const s = version.trim().replace(/~[0-9a-f]*(?=-r\d+$|$)/, '')
  const out: Tok[] = []
  let type: T = T.Digit
  let p = 0
  while (out.length < 256) {
    if (p >= s.length) {
      out.push({ type: T.End, value: 0 })
      return out
    }
    const r = readToken(type, s, p)
    if (r.invalid) {
      if (type === T.Suffix) out.push({ type, value: -1 })
      out.push({ type: T.Invalid, value: 0 })
      return out
    }
    out.push({ type, value: r.value })
    p = r.p
    if (p >= s.length) type = T.End
    else if (r.nextType !== undefined) type = r.nextType
    else [type, p] = next(type, s, p)
  }
  out.push({ type: T.Invalid, value: 0 })
  return out
}

function next(type: T, s: string, p: number): [T, number] {
  const c = s[p]
  let n: T = T.Invalid
  if ((type === T.Digit || type === T.DigitOrZero) && isLower(c)) n = T.Letter
  else if (type === T.Letter && isDigit(c)) n = T.Digit
  else if (type === T.Suffix && isDigit(c)) n = T.SuffixNo
  else {
    if (c === '.') n = T.DigitOrZero
    else if (c === '_') n = T.Suffix
    else if (c === '-' && s[p + 1] === 'r') {
      n = T.RevisionNo
      p++
    }
    p++
  }
  if (
    n < type &&
    !(
      (n === T.DigitOrZero && type === T.Digit) ||
      (n === T.Suffix && type === T.SuffixNo) ||
      (n === T.Digit && type === T.Letter)
    )
  ) {
    n = T.Invalid
  }
  return [n, p]
}

/** A valid apk version string (apk's own rules, no trailing garbage). */
export function isApkVersion(v: string): boolean {
  const t = apkTokens(v)
  return t[t.length - 1]!.type === T.End && isDigit(v.trim()[0])
}

/** Compares as apk does, also for versions it deems invalid but that start with a digit. */
export function compareAlpine(a: string, b: string): number {
  if (!isDigit(a.trim()[0]) || !isDigit(b.trim()[0])) return compareDotted(a, b)
  const x = apkTokens(a)
  const y = apkTokens(b)
  let i = 0
  for (;;) {
    const ta = x[i]!
    const tb = y[i]!
    if (ta.type !== tb.type) {
      if (ta.type === T.Suffix && ta.value < 0) return -1
      if (tb.type === T.Suffix && tb.value < 0) return 1
      return ta.type > tb.type ? -1 : 1
    }
    if (ta.value !== tb.value) return ta.value < tb.value ? -1 : 1
    if (ta.type === T.End || ta.type === T.Invalid) return 0
    i++
  }
}
