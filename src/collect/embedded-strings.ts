/**
 * Network artefacts embedded as text in a file: URLs, domain names and IPv4 addresses, in ASCII
 * and UTF-16LE. Conservative on purpose: a domain needs a known top-level domain, so `kernel32.dll`
 * or `a.out` never count.
 *
 * Fast on large binaries: the bytes are never decoded as a whole. Native `indexOf` finds every
 * `.` and `://` (and their UTF-16LE forms); only the few bytes around each hit are examined.
 */

export interface EmbeddedStrings {
  urls: string[]
  domains: string[]
  ips: string[]
}

/** Per-file caps: a file full of URLs is reported by its first ones, not listed forever. */
const MAX_EACH = 200
const MAX_TOKEN = 2048

const TLDS = new Set(
  (
    'com net org io info biz xyz top app dev co me cc tv us uk de ru cn jp kr fr nl eu ch se no fi pl it es ' +
    'br in au ca su ir kp tk ml ga cf gq pw ws link site online club live store tech cloud host space ' +
    'website pro name mobi asia icu vip shop work fun gov edu mil int onion'
  ).split(' '),
)

const DOMAIN_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,12}$/i
const IPV4_RE = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/
const URL_RE = /^(?:https?|ftp|wss?):\/\/[a-z0-9.-]+(?::\d{1,5})?(?:\/[\x21-\x7e]*)?$/i

const DOT = Buffer.from('.')
const DOT16 = Buffer.from('.\0')
const SEP = Buffer.from('://')
const SEP16 = Buffer.from(':\0/\0/\0')

const isHostChar = (c: number) =>
  (c >= 0x61 && c <= 0x7a) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x30 && c <= 0x39) ||
  c === 0x2d ||
  c === 0x2e
const isUrlChar = (c: number) => c > 0x20 && c < 0x7f
const isSchemeChar = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)

/** Reads characters at `at`, `at ± step`, …: a UTF-16LE character needs a zero high byte. */
function charAt(bytes: Uint8Array, at: number, step: 1 | 2): number {
  if (at < 0 || at >= bytes.length) return -1
  if (step === 2 && bytes[at + 1] !== 0) return -1
  return bytes[at]!
}

/** The widest token around `pos` whose characters satisfy `ok`; returns [startByte, endByte). */
function expand(
  bytes: Uint8Array,
  pos: number,
  step: 1 | 2,
  back: (c: number) => boolean,
  fwd: (c: number) => boolean,
): [number, number] {
  let start = pos
  while (pos - start < MAX_TOKEN * step && back(charAt(bytes, start - step, step))) start -= step
  let end = pos
  while (end - pos < MAX_TOKEN * step && fwd(charAt(bytes, end, step))) end += step
  return [start, end]
}

function text(bytes: Uint8Array, start: number, end: number, step: 1 | 2): string {
  let s = ''
  for (let i = start; i < end; i += step) s += String.fromCharCode(bytes[i]!)
  return s
}

function* hits(bytes: Buffer, needle: Buffer): Generator<number> {
  for (let i = bytes.indexOf(needle); i >= 0; i = bytes.indexOf(needle, i + 1)) yield i
}

/** URLs, domains and IPv4 addresses embedded in the bytes, sorted and de-duplicated. */
export function embeddedStrings(input: Uint8Array): EmbeddedStrings {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  const urls = new Set<string>()
  const domains = new Set<string>()
  const ips = new Set<string>()
  const add = (set: Set<string>, v: string) => set.size < MAX_EACH && set.add(v)
  for (const [needle, step] of [
    [SEP, 1],
    [SEP16, 2],
  ] as const) {
    for (const at of hits(bytes, needle)) {
      const [start] = expand(bytes, at, step, isSchemeChar, () => false)
      const [, end] = expand(bytes, at, step, () => false, isUrlChar)
      const url = text(bytes, start, end, step).replace(/[)\]}>'",;.]+$/, '')
      if (URL_RE.test(url)) add(urls, url)
    }
  }
  for (const [needle, step] of [
    [DOT, 1],
    [DOT16, 2],
  ] as const) {
    let skipUntil = -1
    for (const at of hits(bytes, needle)) {
      if (at < skipUntil) continue
      const [, end] = expand(bytes, at, step, () => false, isHostChar)
      skipUntil = end
      if (!plausibleTail(bytes, at, end, step)) continue
      const [start] = expand(bytes, at, step, isHostChar, () => false)
      const token = text(bytes, start, end, step).replace(/^[.-]+|[.-]+$/g, '')
      if (IPV4_RE.test(token)) {
        if (plausibleIp(token)) add(ips, token)
      } else if (DOMAIN_RE.test(token)) {
        const d = token.toLowerCase()
        if (TLDS.has(d.slice(d.lastIndexOf('.') + 1))) add(domains, d)
      }
    }
  }
  return { urls: [...urls].sort(), domains: [...domains].sort(), ips: [...ips].sort() }
}

/** Cheap pre-check on the token's last label: a known TLD, or digits (an IPv4 address). */
function plausibleTail(bytes: Uint8Array, dot: number, end: number, step: 1 | 2): boolean {
  let last = end - step
  while (last > dot && bytes[last] !== 0x2e) last -= step
  const tail = text(bytes, last + step, end, step).toLowerCase()
  return TLDS.has(tail) || /^\d{1,3}$/.test(tail)
}

/** Drops version-like quads (1.0.0.0, 2.5.0.1) and unroutable 0.x addresses. */
function plausibleIp(ip: string): boolean {
  const parts = ip.split('.').map(Number)
  if (parts[0] === 0) return false
  return !parts.every((p) => p < 10)
}
