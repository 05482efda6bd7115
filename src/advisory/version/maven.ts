import { memoParse } from './memo.js'

/**
 * Maven ordering, following ComparableVersion (maven-artifact): items split on `.`, `-` and
 * digit/letter transitions into nested lists; well-known qualifiers order
 * alpha < beta < milestone < rc (= cr) < snapshot < "" (= ga = final = release) < sp, unknown
 * qualifiers after sp (lexically); numbers after qualifiers; trailing null items (0, "", empty
 * list) are dropped.
 */

type Item = { t: 'int'; v: bigint } | { t: 'str'; v: string } | { t: 'list'; v: Item[] }

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp']
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' }
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''))

function strItem(value: string, followedByDigit: boolean): Item {
  let v = value
  if (followedByDigit && v.length === 1) {
    if (v === 'a') v = 'alpha'
    else if (v === 'b') v = 'beta'
    else if (v === 'm') v = 'milestone'
  }
  return { t: 'str', v: ALIASES[v] ?? v }
}

function parseItem(isDigit: boolean, buf: string): Item {
  return isDigit ? { t: 'int', v: BigInt(buf) } : strItem(buf, false)
}

function isNull(i: Item): boolean {
  if (i.t === 'int') return i.v === 0n
  return i.v.length === 0
}

function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i]!
    if (isNull(last)) list.splice(i, 1)
    else if (last.t !== 'list') break
  }
}

export function parseMaven(version: string): Item {
  const v = version.trim().toLowerCase()
  const root: Item[] = []
  let list = root
  const stack: Item[][] = [root]
  let isDigit = false
  let start = 0
  const nest = () => {
    const next: Item[] = []
    list.push({ t: 'list', v: next })
    list = next
    stack.push(next)
  }
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!
    if (c === '.' || c === '-') {
      if (i === start) list.push({ t: 'int', v: 0n })
      else list.push(parseItem(isDigit, v.slice(start, i)))
      start = i + 1
      if (c === '-') nest()
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.push(strItem(v.slice(start, i), true))
        start = i
        nest()
      }
      isDigit = true
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, v.slice(start, i)))
        start = i
        nest()
      }
      isDigit = false
    }
  }
  if (v.length > start) {
    if (!isDigit && list.length > 0) nest()
    list.push(parseItem(isDigit, v.slice(start)))
  }
  while (stack.length) normalize(stack.pop()!)
  return { t: 'list', v: root }
}

function qualifierKey(q: string): string {
  const i = QUALIFIERS.indexOf(q)
  return i < 0 ? `${QUALIFIERS.length}-${q}` : String(i)
}

function strCmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** ComparableVersion's Item.compareTo, with `undefined` for Java's null. */
function cmp(a: Item, b: Item | undefined): number {
  if (a.t === 'int') return cmpInt(a.v, b)
  if (a.t === 'str') return cmpStr(a.v, b)
  return cmpList(a.v, b)
}

/** Numbers: above qualifiers and lists; against nothing, only zero is equal. */
function cmpInt(v: bigint, b: Item | undefined): number {
  if (!b) return v === 0n ? 0 : 1
  if (b.t !== 'int') return 1
  return v < b.v ? -1 : v > b.v ? 1 : 0
}

/** Qualifiers: by their rank; against nothing, compared with the release (""). */
function cmpStr(v: string, b: Item | undefined): number {
  if (!b) return strCmp(qualifierKey(v), RELEASE_INDEX)
  if (b.t !== 'str') return -1
  return strCmp(qualifierKey(v), qualifierKey(b.v))
}

/** Sub-lists: item by item, a missing item is null; below numbers, above qualifiers. */
function cmpList(items: Item[], b: Item | undefined): number {
  if (!b) {
    for (const i of items) {
      const r = cmp(i, undefined)
      if (r) return r
    }
    return 0
  }
  if (b.t !== 'list') return b.t === 'int' ? -1 : 1
  const n = Math.max(items.length, b.v.length)
  for (let k = 0; k < n; k++) {
    const l = items[k]
    const r = b.v[k]
    const res = l === undefined ? (r === undefined ? 0 : -cmp(r, undefined)) : cmp(l, r)
    if (res) return res
  }
  return 0
}

const parseCached = memoParse(parseMaven)

export function compareMaven(a: string, b: string): number {
  return Math.sign(cmp(parseCached(a), parseCached(b)))
}

/** Canonical form, as ComparableVersion prints it (for tests and evidence). */
export function canonicalMaven(v: string): string {
  const show = (i: Item): string => {
    if (i.t !== 'list') return String(i.v)
    let out = ''
    for (const x of i.v) {
      if (out) out += x.t === 'list' ? '-' : '.'
      out += show(x)
    }
    return out
  }
  return show(parseMaven(v))
}
