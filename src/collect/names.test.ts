import { describe, expect, it } from 'vitest'
import { baseName, displayName, isUnsafeMemberName } from './names.js'

describe('displayName', () => {
  it('keeps valid UTF-8 and escapes each invalid byte', () => {
    expect(displayName(Buffer.from('caf\u00e9.txt'))).toBe('caf\u00e9.txt')
    expect(displayName(Buffer.from([0x66, 0xff, 0x2e, 0x74]))).toBe('f\\xff.t')
    // overlong encoding and a lone continuation byte are invalid
    expect(displayName(Buffer.from([0xc0, 0xaf, 0x41, 0x80]))).toBe('\\xc0\\xafA\\x80')
    // a truncated 3-byte sequence at the end
    expect(displayName(Buffer.from([0x41, 0xe2, 0x82]))).toBe('A\\xe2\\x82')
  })

  it('keeps a literal U+FFFD in a valid name', () => {
    expect(displayName(Buffer.from('a\uFFFDb'))).toBe('a\uFFFDb')
  })
})

describe('isUnsafeMemberName', () => {
  it('refuses absolute, drive and parent-escaping names', () => {
    for (const n of ['../x', 'a/../../x', '/etc/passwd', '\\x', 'C:\\x', 'a\\..\\..\\b']) {
      expect(isUnsafeMemberName(n)).toBe(true)
    }
    for (const n of ['a/b', './a', 'a..b', '..a/b']) expect(isUnsafeMemberName(n)).toBe(false)
  })
})

describe('baseName', () => {
  it('takes the last segment across archive separators', () => {
    expect(baseName('a/b.zip!/c/d.dll')).toBe('d.dll')
    expect(baseName('a.zip!/x')).toBe('x')
  })
})
