import type { Aggregator } from '../aggregate.js'
import { parallelizable, readConnParallel } from '../parallel.js'
import type { NetSink } from '../sink.js'
import { createCsvReader } from './csv.js'
import { type Detected, detectFormat, sniff } from './detect.js'
import type { LogFile } from './files.js'
import { createJsonLinesReader } from './json-lines.js'
import {
  type LineHandler,
  type LineStats,
  MAX_LINE_BYTES,
  openLog,
  readLines,
  readPlainLines,
} from './lines.js'
import { createSquidReader } from './squid.js'
import { createZeekTsvReader } from './zeek-tsv.js'

export interface DetectedFile extends LogFile, Detected {}

/** Looks at the start of each file to learn its format. */
export async function detectFile(file: LogFile): Promise<DetectedFile> {
  const head = await sniff(await openLog(file.fsPath))
  return { ...file, ...detectFormat(head) }
}

/**
 * Order in which files are read: HTTP/TLS before connections, so a connection joins its named
 * destination by uid; certificates early; unknown last.
 */
export function readOrder(f: Detected): number {
  if (f.format === 'squid' || f.format === 'suricata-eve') return 1
  if (f.zeek === 'x509') return 0
  if (f.zeek === 'ssl' || f.zeek === 'http') return 1
  if (f.zeek === 'dns' || f.format === 'csv') return 2
  if (f.zeek === 'conn') return 3
  return 4
}

export function readerFor(f: Detected, sink: NetSink, index: number): LineHandler | undefined {
  switch (f.format) {
    case 'zeek-tsv':
      return createZeekTsvReader(sink, index)
    case 'zeek-json':
      return createJsonLinesReader(sink, index, f.zeek === 'other' ? undefined : f.zeek)
    case 'suricata-eve':
      return createJsonLinesReader(sink, index)
    case 'squid':
      return createSquidReader(sink, index)
    case 'csv':
      return createCsvReader(sink, index)
    default:
      return undefined
  }
}

/** Reads one file, a big plain conn.log with worker threads; true when threads were used. */
export async function readLogMaybeParallel(
  f: DetectedFile,
  agg: Aggregator,
  index: number,
  threads = 2,
): Promise<boolean> {
  const parallel = threads > 1 && parallelizable(f, agg.joinsByUid)
  // a failed worker has merged nothing: the main thread then reads the whole file
  if (parallel && (await readConnParallel(f, agg, index, threads).catch(() => false))) return true
  await readLog(f, agg, index)
  return false
}

export async function readLog(f: DetectedFile, sink: NetSink, index: number): Promise<LineStats> {
  const reader = readerFor(f, sink, index)
  if (!reader) return { lines: 0, tooLong: [] }
  const stats = await readLines(await openLog(f.fsPath), reader).finally(() =>
    sink.endFile?.(index),
  )
  for (const line of stats.tooLong)
    sink.malformed(index, line, `line longer than ${MAX_LINE_BYTES} bytes`)
  return stats
}
