import type { FileType } from '../core/artifact.js'

/** How many leading bytes fileType() needs at most to decide (PE headers may sit further in). */
export const TYPE_PROBE_BYTES = 64 * 1024

const TEXT_PROBE = 4 * 1024
const CONTROL_PROBE = 1024

/**
 * File type from magic bytes of the head of the content (never from the name). Fat Mach-O and
 * Java class files share 0xCAFEBABE: a fat header has a small architecture count where a class
 * file has its version (≥ 45) in the same four bytes.
 */
export function fileType(head: Buffer): FileType {
  if (head.length >= 2 && head[0] === 0x4d && head[1] === 0x5a && hasPeSignature(head)) return 'pe'
  if (head.length >= 4) {
    const be = head.readUInt32BE(0)
    if (be === 0x7f454c46) return 'elf'
    if (be === 0xfeedface || be === 0xfeedfacf || be === 0xcefaedfe || be === 0xcffaedfe) {
      return 'macho'
    }
    if ((be === 0xcafebabe || be === 0xcafebabf) && head.length >= 8) {
      const count = head.readUInt32BE(4)
      if (count >= 1 && count <= 30) return 'macho-fat'
    }
    if (be === 0x504b0304 || be === 0x504b0506 || be === 0x504b0708) return 'zip'
    if (isAsarHead(head)) return 'asar'
  }
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip'
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar'
  if (head.length >= 2 && head[0] === 0x23 && head[1] === 0x21) return 'script'
  if (head.length > 0 && looksLikeText(head.subarray(0, TEXT_PROBE))) return 'text'
  return 'other'
}

function hasPeSignature(head: Buffer): boolean {
  if (head.length < 0x40) return false
  const lfanew = head.readUInt32LE(0x3c)
  if (lfanew < 0x40 || lfanew + 4 > head.length) return false
  return head.readUInt32BE(lfanew) === 0x50450000
}

/** Electron asar: a 4-byte pickle holding the header size, then a pickled JSON `{"files":…`. */
function isAsarHead(head: Buffer): boolean {
  if (head.length < 24 || head.readUInt32LE(0) !== 4) return false
  return head.toString('latin1', 16, 24) === '{"files"'
}

/** No NUL byte in the first 4 KiB and at most 5% control bytes in the first 1 KiB. */
function looksLikeText(b: Buffer): boolean {
  if (b.indexOf(0) !== -1) return false
  const n = Math.min(b.length, CONTROL_PROBE)
  let odd = 0
  for (let i = 0; i < n; i++) {
    const c = b[i]!
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) odd++
  }
  return odd * 20 <= n
}

export function isArchiveType(t: FileType): boolean {
  return t === 'zip' || t === 'tar' || t === 'gzip' || t === 'asar'
}
