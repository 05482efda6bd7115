/**
 * Debian version ordering, as dpkg implements it (deb-version(7)): `[epoch:]upstream[-revision]`.
 * Non-digit runs compare character by character with `~` before everything (even the end),
 * letters before other characters; digit runs compare numerically.
 */

import { splitEpoch } from './epoch.js'

export interface DebianVersion {
  epoch: number
  upstream: string
  revision: string
}

export function parseDebian(v: string): DebianVersion {
  const { epoch, main, suffix } = splitEpoch(v)
  return { epoch, upstream: main, revision: suffix }
}

function order(c: number): number {
  if (c >= 48 && c <= 57) return 0
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return c
  if (c === 126) return -1
  return c + 256
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/** The non-digit prefixes at `i` / `j`, compared character by character with `order()`. */
function nonDigits(a: string, b: string, pos: [number, number]): number {
  let [i, j] = pos
  while (
    (i < a.length && !isDigit(a.charCodeAt(i))) ||
    (j < b.length && !isDigit(b.charCodeAt(j)))
  ) {
    const ac = i < a.length ? order(a.charCodeAt(i)) : 0
    const bc = j < b.length ? order(b.charCodeAt(j)) : 0
    if (ac !== bc) return ac - bc
    i++
    j++
  }
  pos[0] = i
  pos[1] = j
  return 0
}

function digitRunEnd(s: string, i: number): number {
  while (i < s.length && isDigit(s.charCodeAt(i))) i++
  return i
}

/** The digit runs at `i` / `j`, compared as numbers (leading zeros ignored). */
function digits(a: string, b: string, pos: [number, number]): number {
  let [i, j] = pos
  while (i < a.length && a.charCodeAt(i) === 48) i++
  while (j < b.length && b.charCodeAt(j) === 48) j++
  const ei = digitRunEnd(a, i)
  const ej = digitRunEnd(b, j)
  pos[0] = ei
  pos[1] = ej
  if (ei - i !== ej - j) return ei - i > ej - j ? 1 : -1
  const x = a.slice(i, ei)
  const y = b.slice(j, ej)
  return x === y ? 0 : x < y ? -1 : 1
}

/** dpkg's verrevcmp over one part (upstream or revision): alternating non-digit and digit runs. */
export function debianPartCompare(a: string, b: string): number {
  const pos: [number, number] = [0, 0]
  while (pos[0] < a.length || pos[1] < b.length) {
    const c = nonDigits(a, b, pos) || digits(a, b, pos)
    if (c) return c
  }
  return 0
}

export function compareDebian(a: string, b: string): number {
  const x = parseDebian(a)
  const y = parseDebian(b)
  if (x.epoch !== y.epoch) return Math.sign(x.epoch - y.epoch)
  return Math.sign(
    debianPartCompare(x.upstream, y.upstream) || debianPartCompare(x.revision, y.revision),
  )
}
