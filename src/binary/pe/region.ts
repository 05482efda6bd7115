import { roundedEntropy } from '../entropy.js'
import { hex } from './reader.js'
import type { ByteRegion } from './types.js'

/** A byte range with its entropy and first 16 bytes, clamped to the data. */
export function region(bytes: Uint8Array, offset: number, size: number): ByteRegion {
  const start = Math.min(offset, bytes.length)
  const end = Math.min(bytes.length, start + size)
  return {
    offset: start,
    size: end - start,
    entropy: roundedEntropy(bytes, start, end),
    head: hex(bytes.subarray(start, Math.min(end, start + 16))),
  }
}
