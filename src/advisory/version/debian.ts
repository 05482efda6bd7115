/**
 * Debian version ordering, as dpkg implements it (deb-version(7)): `[epoch:]upstream[-revision]`.
 * Non-digit runs compare character by character with `~` before everything (even the end),
 * letters before other characters; digit runs compare numerically.
 */

export interface DebianVersion {
  epoch: number
  upstream: string
  revision: string
}

export function parseDebian(v: string): DebianVersion {
  const s = v.trim()
  const colon = s.indexOf(':')
  let epoch = 0
  let rest = s
  if (colon > 0 && /^\d+$/.test(s.slice(0, colon))) {
    epoch = Number(s.slice(0, colon))
    rest = s.slice(colon + 1)
  }
  const dash = rest.lastIndexOf('-')
  if (dash < 0) return { epoch, upstream: rest, revision: '' }
  return { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) }
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

/** dpkg's verrevcmp over one part (upstream or revision). */
export function debianPartCompare(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    let firstDiff = 0
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
    while (i < a.length && a.charCodeAt(i) === 48) i++
    while (j < b.length && b.charCodeAt(j) === 48) j++
    while (i < a.length && isDigit(a.charCodeAt(i)) && j < b.length && isDigit(b.charCodeAt(j))) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j)
      i++
      j++
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1
    if (firstDiff) return firstDiff
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
