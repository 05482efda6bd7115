/**
 * RPM version ordering: rpmvercmp segments (digits numeric, letters lexical, other characters
 * separators), `~` sorts before everything including the end, `^` after the end but before any
 * other segment. Full EVR strings (`[epoch:]version[-release]`) compare epoch, version, release.
 */

import { splitEpoch } from './epoch.js'

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9'
}
function isAlpha(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}
function isAlnum(c: string): boolean {
  return isDigit(c) || isAlpha(c)
}

function skipSeparators(s: string, i: number): number {
  while (i < s.length && !isAlnum(s[i]!) && s[i] !== '~' && s[i] !== '^') i++
  return i
}

/**
 * `~` sorts before everything (even the end), `^` after the end but before anything else.
 * Returns the comparison result, `0` to go on past both markers, or `undefined` when neither
 * side has a marker here.
 */
function markers(ca: string, cb: string, aEnd: boolean, bEnd: boolean): number | undefined {
  if (ca === '~' || cb === '~') {
    if (ca !== '~') return 1
    return cb !== '~' ? -1 : 0
  }
  if (ca === '^' || cb === '^') {
    if (aEnd) return -1
    if (bEnd) return 1
    if (ca !== '^') return 1
    return cb !== '^' ? -1 : 0
  }
  return undefined
}

function runEnd(s: string, i: number, test: (c: string) => boolean): number {
  while (i < s.length && test(s[i]!)) i++
  return i
}

/** Compares one segment (digits numerically, letters lexically); digits beat letters. */
function segment(a: string, i: number, b: string, j: number): [number, number, number] {
  const numeric = isDigit(a[i]!)
  const test = numeric ? isDigit : isAlpha
  const ei = runEnd(a, i, test)
  const ej = runEnd(b, j, test)
  if (ej === j) return [numeric ? 1 : -1, ei, ej]
  let sa = a.slice(i, ei)
  let sb = b.slice(j, ej)
  if (numeric) {
    sa = sa.replace(/^0+/, '')
    sb = sb.replace(/^0+/, '')
    if (sa.length !== sb.length) return [sa.length > sb.length ? 1 : -1, ei, ej]
  }
  return [sa === sb ? 0 : sa < sb ? -1 : 1, ei, ej]
}

/** rpmvercmp over one part (version or release). */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0
  let i = 0
  let j = 0
  for (;;) {
    i = skipSeparators(a, i)
    j = skipSeparators(b, j)
    const aEnd = i >= a.length
    const bEnd = j >= b.length
    if (aEnd && bEnd) return 0
    const m = markers(a[i] ?? '', b[j] ?? '', aEnd, bEnd)
    if (m !== undefined) {
      if (m !== 0) return m
      i++
      j++
      continue
    }
    if (aEnd || bEnd) return aEnd ? -1 : 1
    const [rc, ei, ej] = segment(a, i, b, j)
    if (rc !== 0) return rc
    i = ei
    j = ej
  }
}

export interface Evr {
  epoch: number
  version: string
  release: string
}

export function parseEvr(v: string): Evr {
  const { epoch, main, suffix } = splitEpoch(v)
  return { epoch, version: main, release: suffix }
}

/** Compares full EVR strings as rpm.vercmp does: epoch, version, then release (none < any). */
export function compareRpm(a: string, b: string): number {
  const x = parseEvr(a)
  const y = parseEvr(b)
  if (x.epoch !== y.epoch) return x.epoch > y.epoch ? 1 : -1
  return rpmvercmp(x.version, y.version) || rpmvercmp(x.release, y.release)
}
