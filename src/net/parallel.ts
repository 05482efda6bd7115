import { open } from 'node:fs/promises'
import { spawnWorker } from '../core/spawn-worker.js'
import { MiB } from '../core/units.js'
import type { Aggregator, Malformed } from './aggregate.js'
import type { DetectedFile } from './input/read-log.js'

/** Plain conn.logs at least this big are read by several threads. */
export const PARALLEL_MIN_BYTES = 64 * MiB

export interface RangeJob {
  path: string
  file: number
  start: number
  end: number
  /** The file's header lines (text before the first data line). */
  header: string
}

/** A worker's IP pairs: per pair 8 numbers of meta, and its timestamps and byte counts. */
export interface PackedPairs {
  src: string[]
  dst: string[]
  /** count, first, last, duration, firstLine, lastLine, strobe, tsLength per pair. */
  meta: Float64Array
  /** ts and bytes of pair i are at offsets[2i] … and offsets[2i+1] …, lengths in meta. */
  offsets: Float64Array
  ts: Uint32Array
  bytes: Uint32Array
  lines: number
  tooLong: number[]
  malformed: Malformed[]
  malformedCount: number
  records: number
  min: number
  max: number
  error?: string
}

const META = 8

export function packPairs(agg: Aggregator, lines: number, tooLong: number[]): PackedPairs {
  const pairs = [...agg.pairs.ip.values()]
  const meta = new Float64Array(pairs.length * META)
  const offsets = new Float64Array(pairs.length * 2 + 2)
  let nts = 0
  let nbytes = 0
  for (const p of pairs) {
    nts += p.ts.length
    nbytes += p.bytes.length
  }
  const ts = new Uint32Array(nts)
  const bytes = new Uint32Array(nbytes)
  let ot = 0
  let ob = 0
  pairs.forEach((p, i) => {
    meta.set(
      [
        p.count,
        p.first,
        p.last,
        p.duration,
        p.firstLine,
        p.lastLine,
        p.strobe ? 1 : 0,
        p.bytes.length,
      ],
      i * META,
    )
    offsets[2 * i] = ot
    offsets[2 * i + 1] = ob
    ts.set(p.ts.values(), ot)
    bytes.set(p.bytes.values(), ob)
    ot += p.ts.length
    ob += p.bytes.length
  })
  offsets[2 * pairs.length] = ot
  return {
    src: pairs.map((p) => p.src),
    dst: pairs.map((p) => p.dst),
    meta,
    offsets,
    ts,
    bytes,
    lines,
    tooLong,
    malformed: agg.malformedKept,
    malformedCount: agg.malformedCount,
    records: agg.records.conn,
    min: agg.min,
    max: agg.max,
  }
}

/** Folds a worker's pairs into the main aggregator; its line numbers start after `lineOffset`. */
export function mergePacked(
  agg: Aggregator,
  packed: PackedPairs,
  file: number,
  lineOffset: number,
): void {
  const { meta, offsets } = packed
  for (let i = 0; i < packed.src.length; i++) {
    const m = meta.subarray(i * META, i * META + META)
    const tsFrom = offsets[2 * i]!
    const tsTo = i + 1 < packed.src.length ? offsets[2 * i + 2]! : offsets[2 * packed.src.length]!
    const bFrom = offsets[2 * i + 1]!
    agg.mergeIpPair(packed.src[i]!, packed.dst[i]!, {
      count: m[0]!,
      first: m[1]!,
      last: m[2]!,
      duration: m[3]!,
      firstLine: m[4]! + lineOffset,
      lastLine: m[5]! + lineOffset,
      strobe: m[6] === 1,
      ts: packed.ts.subarray(tsFrom, tsTo),
      bytes: packed.bytes.subarray(bFrom, bFrom + m[7]!),
      file,
    })
  }
  agg.absorbCounts(packed.records, packed.min, packed.max)
  for (const m of packed.malformed) agg.malformed(file, m.line + lineOffset, m.message)
  agg.malformedCount += packed.malformedCount - packed.malformed.length
}

/** Can this file be read in parallel? Plain (not gzip) Zeek TSV conn.log, big. */
export function parallelizable(f: DetectedFile, uidJoin: boolean): boolean {
  return f.format === 'zeek-tsv' && f.zeek === 'conn' && f.size >= PARALLEL_MIN_BYTES && !uidJoin
}

/** Text before the first data line, and the offset where data starts. */
async function headerOf(path: string): Promise<{ header: string; dataStart: number } | undefined> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(256 * 1024)
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0)
    if (buf[0] === 0x1f && buf[1] === 0x8b) return undefined
    let pos = 0
    while (pos < bytesRead && buf[pos] === 35) {
      const nl = buf.indexOf(10, pos)
      if (nl < 0 || nl >= bytesRead) return undefined
      pos = nl + 1
    }
    return { header: buf.toString('utf8', 0, pos), dataStart: pos }
  } finally {
    await fh.close()
  }
}

/** The first line start at or after `at`. */
async function lineStartAfter(path: string, at: number): Promise<number> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(1 << 20)
    for (let pos = at; ; pos += buf.length) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos)
      if (bytesRead === 0) return pos
      const nl = buf.indexOf(10)
      if (nl >= 0 && nl < bytesRead) return pos + nl + 1
    }
  } finally {
    await fh.close()
  }
}

/**
 * Reads a big conn.log with `threads` workers on consecutive byte ranges split at line
 * boundaries, then merges their pairs in order. Returns false (nothing read) when the file does
 * not suit; the caller then reads it on the main thread.
 */
export async function readConnParallel(
  f: DetectedFile,
  agg: Aggregator,
  file: number,
  threads = 2,
): Promise<boolean> {
  const head = await headerOf(f.fsPath)
  if (!head) return false
  const bounds = [head.dataStart]
  for (let t = 1; t < threads; t++) {
    bounds.push(
      await lineStartAfter(
        f.fsPath,
        head.dataStart + Math.floor(((f.size - head.dataStart) * t) / threads),
      ),
    )
  }
  bounds.push(f.size)
  const headerLines = head.header.split('\n').length - 1
  const jobs = bounds
    .slice(0, -1)
    .map((start, t) => ({ path: f.fsPath, file, start, end: bounds[t + 1]!, header: head.header }))
  const results = await Promise.all(jobs.map(runWorker))
  let offset = headerLines
  for (const r of results) {
    if (r.error) throw new Error(`conn worker: ${r.error}`)
    mergePacked(agg, r, file, offset)
    for (const l of r.tooLong) agg.malformed(file, l + offset, 'line longer than the limit')
    offset += r.lines
  }
  return true
}

function runWorker(job: RangeJob): Promise<PackedPairs> {
  return new Promise((resolve, reject) => {
    const w = spawnWorker(import.meta.url, 'conn-worker', { workerData: job })
    w.once('message', (m: PackedPairs) => {
      resolve(m)
      void w.terminate()
    })
    w.once('error', reject)
  })
}
