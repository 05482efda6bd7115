import { createHash } from 'node:crypto'
import type { PeFile } from '../pe/types.js'

/**
 * Byte ranges of the Authenticode image hash: the whole file except the optional header's
 * CheckSum, the certificate-table data-directory entry and the certificate table itself. This is
 * the Authenticode specification's section-by-section hash for every image whose sections follow
 * the headers without gaps (all linkers' output), and what signtool and osslsigncode compute.
 */
export function imageHashRanges(pe: PeFile): [start: number, end: number][] {
  const size = pe.fileSize
  const cuts: [number, number][] = [[pe.offsets.checksum, pe.offsets.checksum + 4]]
  const dir = pe.offsets.certificateDirectory
  if (dir !== undefined) cuts.push([dir, dir + 8])
  const table = pe.certificateTable
  if (table && table.size > 0) cuts.push([table.offset, table.offset + table.size])
  cuts.sort((a, b) => a[0] - b[0])
  const ranges: [number, number][] = []
  let at = 0
  for (const [from, to] of cuts) {
    const start = Math.min(from, size)
    if (start > at) ranges.push([at, start])
    at = Math.max(at, Math.min(to, size))
  }
  if (at < size) ranges.push([at, size])
  return ranges
}

/** Authenticode digest of a PE image with the named hash (`sha256`, `sha1` …), hex. */
export function authenticodeImageHash(bytes: Uint8Array, pe: PeFile, algorithm: string): string {
  const h = createHash(algorithm)
  for (const [s, e] of imageHashRanges(pe)) h.update(bytes.subarray(s, e))
  return h.digest('hex')
}
