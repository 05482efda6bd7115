import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { fileType } from './file-type.js'
import { makeAsar, makeTar, makeZip } from './testing.js'

function pe(lfanew = 0x80): Buffer {
  const b = Buffer.alloc(lfanew + 64)
  b.write('MZ', 0, 'latin1')
  b.writeUInt32LE(lfanew, 0x3c)
  b.write('PE\0\0', lfanew, 'latin1')
  return b
}

function u32be(...words: number[]): Buffer {
  const b = Buffer.alloc(words.length * 4 + 32)
  for (const [i, w] of words.entries()) b.writeUInt32BE(w >>> 0, i * 4)
  return b
}

describe('fileType', () => {
  it('finds PE only with the PE signature at e_lfanew', () => {
    expect(fileType(pe())).toBe('pe')
    const dosOnly = pe()
    dosOnly.write('XX', 0x80, 'latin1')
    expect(fileType(dosOnly)).toBe('other')
    const beyond = pe()
    beyond.writeUInt32LE(0xffffff, 0x3c)
    expect(fileType(beyond)).toBe('other')
  })

  it('finds ELF and all four Mach-O magics', () => {
    expect(fileType(Buffer.from('\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0', 'latin1'))).toBe('elf')
    for (const m of [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe]) {
      expect(fileType(u32be(m, 7, 3))).toBe('macho')
    }
  })

  it('tells a fat Mach-O from a Java class file (both 0xCAFEBABE)', () => {
    expect(fileType(u32be(0xcafebabe, 2))).toBe('macho-fat')
    // class file: minor 0, major 52 (Java 8) → 0x00000034 in the same four bytes
    expect(fileType(u32be(0xcafebabe, 0x00000034))).toBe('other')
    expect(fileType(u32be(0xcafebabe, 0x00000041))).toBe('other')
  })

  it('finds zip, tar (ustar at 257), gzip and asar from real bytes', () => {
    expect(fileType(makeZip([{ name: 'a', data: 'x' }]))).toBe('zip')
    expect(fileType(makeTar([{ name: 'a', data: 'x' }]))).toBe('tar')
    expect(fileType(gzipSync('hello'))).toBe('gzip')
    expect(fileType(makeAsar({ 'a.js': 'x' }))).toBe('asar')
  })

  it('finds shebang scripts, text and other', () => {
    expect(fileType(Buffer.from('#!/bin/sh\necho hi\n'))).toBe('script')
    expect(fileType(Buffer.from('plain words\nand lines\n'))).toBe('text')
    expect(fileType(Buffer.from('h\u00e9llo w\u00f6rld\n'))).toBe('text')
    expect(fileType(Buffer.from([1, 2, 3, 0, 4]))).toBe('other')
    expect(fileType(Buffer.alloc(0))).toBe('other')
  })
})
