import type { NetSink } from '../sink.js'

export type Call = [method: string, ...args: unknown[]]

/** A NetSink that records every call (for reader tests and fuzzing). */
export function recordingSink(): NetSink & { calls: Call[] } {
  const calls: Call[] = []
  const rec =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push([name, ...args])
    }
  return {
    calls,
    conn: rec('conn'),
    dns: rec('dns'),
    http: rec('http'),
    tls: rec('tls'),
    cert: rec('cert'),
    alert: rec('alert'),
    malformed: rec('malformed'),
  }
}

/** Feeds a whole text to a line handler (test helper). */
export function feed(
  text: string | Buffer,
  onLine: (buf: Buffer, s: number, e: number, line: number) => void,
): void {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text)
  let pos = 0
  let line = 1
  while (pos <= buf.length) {
    let nl = buf.indexOf(10, pos)
    if (nl < 0) nl = buf.length
    if (nl > pos || nl < buf.length)
      onLine(buf, pos, nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl, line)
    pos = nl + 1
    line++
  }
}
