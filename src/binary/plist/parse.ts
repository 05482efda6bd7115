import { parseBinaryPlist } from './binary.js'
import type { PlistResult } from './types.js'
import { parseXmlPlist } from './xml.js'

const BPLIST = Buffer.from('bplist0')

/** Parses an XML or binary (bplist00) property list. Pure; never throws on input bytes. */
export function parsePlist(bytes: Uint8Array): PlistResult {
  if (bytes.length >= 8 && Buffer.compare(bytes.subarray(0, 7), BPLIST) === 0) {
    return parseBinaryPlist(bytes)
  }
  let start = 0
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3
  while (start < bytes.length && /\s/.test(String.fromCharCode(bytes[start]!))) start++
  if (bytes[start] === 0x3c)
    return parseXmlPlist(Buffer.from(bytes.subarray(start)).toString('utf8'))
  return {
    format: 'unknown',
    anomalies: [{ code: 'not-a-plist', message: 'neither an XML nor a binary property list' }],
  }
}
