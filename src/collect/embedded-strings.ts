/**
 * Network artefacts embedded as text in a file: URLs, domain names and IPv4 addresses, from ASCII
 * and UTF-16LE strings. Conservative on purpose: a domain needs a known top-level domain, so
 * `kernel32.dll` or `a.out` never count.
 */

export interface EmbeddedStrings {
  urls: string[]
  domains: string[]
  ips: string[]
}

const MIN_RUN = 6
/** Per-file caps: a file full of URLs is reported by count, not listed forever. */
const MAX_EACH = 200

const TLDS = new Set(
  (
    'com net org io info biz xyz top app dev co me cc tv us uk de ru cn jp kr fr nl eu ch se no fi pl it es ' +
    'br in au ca su ir kp tk ml ga cf gq pw ws link site online club live store tech cloud host space ' +
    'website pro name mobi asia icu vip shop work fun gov edu mil int onion'
  ).split(' '),
)

const URL_RE = /\b(?:https?|ftp|wss?):\/\/[a-z0-9.-]+(?::\d{1,5})?(?:\/[\x21-\x7e]*)?/gi
const DOMAIN_RE = /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,12}\b/gi
const IPV4_RE =
  /(?<![\d.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\d.])/g

/** Printable runs of at least MIN_RUN characters, ASCII and UTF-16LE. */
export function printableRuns(bytes: Uint8Array, minRun = MIN_RUN): string[] {
  const runs: string[] = []
  collectAscii(bytes, minRun, runs)
  collectUtf16(bytes, minRun, runs)
  return runs
}

function isPrintable(b: number): boolean {
  return b >= 0x20 && b < 0x7f
}

function collectAscii(bytes: Uint8Array, minRun: number, out: string[]): void {
  let start = -1
  for (let i = 0; i <= bytes.length; i++) {
    const ok = i < bytes.length && isPrintable(bytes[i]!)
    if (ok && start < 0) start = i
    else if (!ok && start >= 0) {
      if (i - start >= minRun) out.push(Buffer.from(bytes.subarray(start, i)).toString('latin1'))
      start = -1
    }
  }
}

function collectUtf16(bytes: Uint8Array, minRun: number, out: string[]): void {
  for (const phase of [0, 1]) {
    let start = -1
    let i = phase
    for (; i + 1 < bytes.length; i += 2) {
      const ok = isPrintable(bytes[i]!) && bytes[i + 1] === 0
      if (ok && start < 0) start = i
      else if (!ok && start >= 0) {
        if ((i - start) / 2 >= minRun)
          out.push(Buffer.from(bytes.subarray(start, i)).toString('utf16le'))
        start = -1
      }
    }
    if (start >= 0 && (i - start) / 2 >= minRun) {
      out.push(Buffer.from(bytes.subarray(start, i)).toString('utf16le'))
    }
  }
}

/** URLs, domains and IPv4 addresses embedded in the bytes, sorted and de-duplicated. */
export function embeddedStrings(bytes: Uint8Array): EmbeddedStrings {
  const urls = new Set<string>()
  const domains = new Set<string>()
  const ips = new Set<string>()
  for (const run of printableRuns(bytes)) {
    for (const m of run.matchAll(URL_RE)) add(urls, trimUrl(m[0]))
    for (const m of run.matchAll(DOMAIN_RE)) {
      const d = m[0].toLowerCase()
      if (TLDS.has(d.slice(d.lastIndexOf('.') + 1))) add(domains, d)
    }
    for (const m of run.matchAll(IPV4_RE)) if (plausibleIp(m[0])) add(ips, m[0])
  }
  return { urls: [...urls].sort(), domains: [...domains].sort(), ips: [...ips].sort() }
}

function add(set: Set<string>, v: string): void {
  if (set.size < MAX_EACH) set.add(v)
}

function trimUrl(url: string): string {
  return url.replace(/[)\]}>'",;.]+$/, '')
}

/** Drops version-like quads (1.0.0.0, 2.5.0.1) and unroutable 0.x addresses. */
function plausibleIp(ip: string): boolean {
  const parts = ip.split('.').map(Number)
  if (parts[0] === 0) return false
  return !parts.every((p) => p < 10)
}
