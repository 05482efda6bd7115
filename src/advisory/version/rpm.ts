/**
 * RPM version ordering: rpmvercmp segments (digits numeric, letters lexical, other characters
 * separators), `~` sorts before everything including the end, `^` after the end but before any
 * other segment. Full EVR strings (`[epoch:]version[-release]`) compare epoch, version, release.
 */

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9'
}
function isAlpha(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}
function isAlnum(c: string): boolean {
  return isDigit(c) || isAlpha(c)
}

/** rpmvercmp over one part (version or release). */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0
  let i = 0
  let j = 0
  for (;;) {
    while (i < a.length && !isAlnum(a[i]!) && a[i] !== '~' && a[i] !== '^') i++
    while (j < b.length && !isAlnum(b[j]!) && b[j] !== '~' && b[j] !== '^') j++
    if (i >= a.length && j >= b.length) return 0
    const ca = a[i] ?? ''
    const cb = b[j] ?? ''
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1
      if (cb !== '~') return -1
      i++
      j++
      continue
    }
    if (ca === '^' || cb === '^') {
      if (i >= a.length) return -1
      if (j >= b.length) return 1
      if (ca !== '^') return 1
      if (cb !== '^') return -1
      i++
      j++
      continue
    }
    if (i >= a.length || j >= b.length) break
    const numeric = isDigit(ca)
    const test = numeric ? isDigit : isAlpha
    let ei = i
    let ej = j
    while (ei < a.length && test(a[ei]!)) ei++
    while (ej < b.length && test(b[ej]!)) ej++
    if (ej === j) return numeric ? 1 : -1
    let sa = a.slice(i, ei)
    let sb = b.slice(j, ej)
    if (numeric) {
      sa = sa.replace(/^0+/, '')
      sb = sb.replace(/^0+/, '')
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1
    }
    if (sa !== sb) return sa < sb ? -1 : 1
    i = ei
    j = ej
  }
  return i >= a.length ? -1 : 1
}

export interface Evr {
  epoch: number
  version: string
  release: string
}

export function parseEvr(v: string): Evr {
  const s = v.trim()
  const colon = s.indexOf(':')
  let epoch = 0
  let rest = s
  if (colon > 0 && /^\d+$/.test(s.slice(0, colon))) {
    epoch = Number(s.slice(0, colon))
    rest = s.slice(colon + 1)
  }
  const dash = rest.lastIndexOf('-')
  if (dash < 0) return { epoch, version: rest, release: '' }
  return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) }
}

/** Compares full EVR strings as rpm.vercmp does: epoch, version, then release (none < any). */
export function compareRpm(a: string, b: string): number {
  const x = parseEvr(a)
  const y = parseEvr(b)
  if (x.epoch !== y.epoch) return x.epoch > y.epoch ? 1 : -1
  return rpmvercmp(x.version, y.version) || rpmvercmp(x.release, y.release)
}
