/**
 * File names are bytes on Linux and need not be valid UTF-8. Reports carry strings, so an invalid
 * byte is shown as `\xNN` (a valid name is shown as is); the Buffer path is kept for reading.
 */
export function displayName(bytes: Buffer): string {
  const text = bytes.toString('utf8')
  if (!text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(bytes)) return text
  let out = ''
  let i = 0
  while (i < bytes.length) {
    const n = validSequenceLength(bytes, i)
    if (n > 0) {
      out += bytes.subarray(i, i + n).toString('utf8')
      i += n
    } else {
      out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`
      i++
    }
  }
  return out
}

/** Length of the well-formed UTF-8 sequence starting at `i`, or 0 when it is not one. */
function validSequenceLength(b: Buffer, i: number): number {
  const c = b[i]!
  if (c < 0x80) return 1
  const [len, min, max] =
    c >= 0xc2 && c <= 0xdf
      ? [2, 0x80, 0xbf]
      : c === 0xe0
        ? [3, 0xa0, 0xbf]
        : c === 0xed
          ? [3, 0x80, 0x9f]
          : c >= 0xe1 && c <= 0xef
            ? [3, 0x80, 0xbf]
            : c === 0xf0
              ? [4, 0x90, 0xbf]
              : c === 0xf4
                ? [4, 0x80, 0x8f]
                : c >= 0xf1 && c <= 0xf3
                  ? [4, 0x80, 0xbf]
                  : [0, 0, 0]
  if (len === 0 || i + len > b.length) return 0
  const second = b[i + 1]!
  if (second < min || second > max) return 0
  for (let k = 2; k < len; k++) {
    const x = b[i + k]!
    if (x < 0x80 || x > 0xbf) return 0
  }
  return len
}

/**
 * An archive member name that would land outside the extraction root if extracted: absolute,
 * drive-qualified, or with a `..` segment (zip-slip).
 */
export function isUnsafeMemberName(name: string): boolean {
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) return true
  return name.split(/[/\\]/).some((seg) => seg === '..')
}

/** Base name of a report path (`a/b!/c/d.dll` → `d.dll`). */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('!'))
  return path.slice(cut + 1)
}
