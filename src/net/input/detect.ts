import { isCsvHeader } from './csv.js'
import { readLines } from './lines.js'
import { SQUID_LINE } from './squid.js'
import { type ZeekLogKind, zeekKindOf } from './zeek-tsv.js'

export type LogFormat = 'zeek-tsv' | 'zeek-json' | 'suricata-eve' | 'squid' | 'csv' | 'unknown'

export interface Detected {
  format: LogFormat
  /** Zeek log type, when the format is Zeek. */
  zeek?: ZeekLogKind
}

/** Bytes looked at to recognise a file. */
const SNIFF_BYTES = 64 * 1024

/** Recognises a log format from its first lines (content only, never the file name). */
export function detectFormat(head: string): Detected {
  const lines = head
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '')
  const comments = lines.findIndex((l) => !l.startsWith('#'))
  const header = comments < 0 ? lines : lines.slice(0, comments)
  if (header.some((l) => l.startsWith('#separator') || l.startsWith('#fields'))) {
    const path = lines.find((l) => l.startsWith('#path'))?.split(/\s+/)[1]
    const fieldsLine = lines.find((l) => l.startsWith('#fields'))
    const fields = fieldsLine ? fieldsLine.split(/\t|\s+/).slice(1) : []
    return { format: 'zeek-tsv', zeek: zeekKindOf(path, fields) }
  }
  // other comment lines (a btest banner, a note) before the data
  const first = comments < 0 ? '' : (lines[comments] ?? '')
  if (first.startsWith('{')) return detectJson(first)
  if (SQUID_LINE.test(first)) return { format: 'squid' }
  if (isCsvHeader(first)) return { format: 'csv' }
  return { format: 'unknown' }
}

function detectJson(line: string): Detected {
  let o: Record<string, unknown>
  try {
    o = JSON.parse(line) as Record<string, unknown>
  } catch {
    // a first line longer than the sniff window: decide from its keys
    if (line.includes('"event_type"')) return { format: 'suricata-eve' }
    return line.includes('"ts"') ? { format: 'zeek-json' } : { format: 'unknown' }
  }
  if (o === null || typeof o !== 'object') return { format: 'unknown' }
  if ('event_type' in o) return { format: 'suricata-eve' }
  if (!('ts' in o)) return { format: 'unknown' }
  const keys = Object.keys(o)
  const path = typeof o._path === 'string' ? o._path : undefined
  const flat = keys.map((k) => k.replace(/^id_/, 'id.'))
  const kind = zeekKindOf(path, flat)
  return { format: 'zeek-json', zeek: kind }
}

/** Reads the first SNIFF_BYTES (decompressed) of a log stream as text. */
export async function sniff(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = []
  let size = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parts.push(chunk)
    size += chunk.length
    if (size >= SNIFF_BYTES) break
  }
  ;(stream as unknown as { destroy?: () => void }).destroy?.()
  return Buffer.concat(parts).subarray(0, SNIFF_BYTES).toString('utf8')
}

export { readLines }
