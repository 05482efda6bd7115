import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { golden } from '../golden.js'
import { parsePlist } from './parse.js'
import { isDict } from './types.js'

const dir = fileURLToPath(new URL('../../../scripts/fixtures/macho/out/', import.meta.url))
const goldenDir = fileURLToPath(new URL('./golden/', import.meta.url))
const read = (p: string) => readFileSync(join(dir, p))

describe('parsePlist golden dumps', () => {
  for (const p of [
    'LookAlike.app/Contents/Info.plist',
    'LookAlikeBinaryPlist.app/Contents/Info.plist',
    'LookAlike.app/Contents/_CodeSignature/CodeResources',
  ]) {
    it(p, () => {
      const [actual, expected] = golden(
        join(goldenDir, `${p.replace(/\//g, '_')}.golden.json`),
        parsePlist(read(p)),
      )
      expect(actual).toBe(expected)
    })
  }
})

describe('parsePlist', () => {
  it('reads the XML and the binary Info.plist of one bundle to the same value', () => {
    const xml = parsePlist(read('LookAlike.app/Contents/Info.plist'))
    const bin = parsePlist(read('LookAlikeBinaryPlist.app/Contents/Info.plist'))
    expect(xml.format).toBe('xml')
    expect(bin.format).toBe('binary')
    expect(bin.anomalies).toEqual([])
    expect({ ...(bin.value as object) }).toEqual({ ...(xml.value as object) })
    expect(isDict(xml.value) && xml.value.CFBundleShortVersionString).toBe('18.12.416')
  })

  it('decodes entities, CDATA, self-closing containers, integers, reals, dates and data', () => {
    const text = `<?xml version="1.0"?><!DOCTYPE plist SYSTEM "x"><plist version="1.0"><dict>
      <key>a&amp;b</key><string>&lt;x&gt; &#x41;&#66;</string>
      <key>c</key><string><![CDATA[<raw & kept>]]></string>
      <key>e</key><array/><key>f</key><dict/><key>g</key><string/>
      <key>i</key><integer>-0x10</integer><key>r</key><real>2.5</real>
      <key>d</key><date>2023-03-29T00:00:00Z</date><key>b</key><data>AAEC
      /w==</data><!-- comment --></dict></plist>`
    const r = parsePlist(Buffer.from(text))
    expect(r.anomalies).toEqual([])
    const v = r.value as Record<string, unknown>
    expect(v['a&b']).toBe('<x> AB')
    expect(v.c).toBe('<raw & kept>')
    expect(v.e).toEqual([])
    expect({ ...(v.f as object) }).toEqual({})
    expect(v.g).toBe('')
    expect(v.i).toBe(-16)
    expect(v.r).toBe(2.5)
    expect((v.d as Date).toISOString()).toBe('2023-03-29T00:00:00.000Z')
    expect(Buffer.from(v.b as Uint8Array).toString('hex')).toBe('000102ff')
  })

  it('keeps __proto__ as a plain key', () => {
    const r = parsePlist(
      Buffer.from('<plist><dict><key>__proto__</key><string>x</string></dict></plist>'),
    )
    const v = r.value as Record<string, unknown>
    expect(Object.keys(v)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('bounds XML nesting depth', () => {
    const deep = `<plist>${'<array>'.repeat(100)}${'</array>'.repeat(100)}</plist>`
    const r = parsePlist(Buffer.from(deep))
    expect(r.anomalies.map((a) => a.code)).toContain('too-deep')
  })

  it('rejects a binary plist whose array contains itself', () => {
    // bplist00, object 0: array of 1 referring to object 0; offset table; trailer.
    const body = Buffer.from([0x62, 0x70, 0x6c, 0x69, 0x73, 0x74, 0x30, 0x30, 0xa1, 0x00, 0x08])
    const trailer = Buffer.alloc(32)
    trailer[6] = 1
    trailer[7] = 1
    trailer.writeBigUInt64BE(1n, 8)
    trailer.writeBigUInt64BE(0n, 16)
    trailer.writeBigUInt64BE(10n, 24)
    const r = parsePlist(Buffer.concat([body, trailer]))
    expect(r.value).toBeUndefined()
    expect(r.anomalies[0]!.message).toContain('contains itself')
  })

  it('bounds a binary plist whose shared references would explode', () => {
    // 40 arrays, each holding the next one twice: 2^40 nodes if expanded.
    const n = 40
    const objs: Buffer[] = []
    for (let i = 0; i < n; i++) objs.push(Buffer.from([0xa2, i + 1, i + 1]))
    objs.push(Buffer.from([0x09]))
    const offsets: number[] = []
    let at = 8
    for (const o of objs) {
      offsets.push(at)
      at += o.length
    }
    const trailer = Buffer.alloc(32)
    trailer[6] = 1
    trailer[7] = 1
    trailer.writeBigUInt64BE(BigInt(objs.length), 8)
    trailer.writeBigUInt64BE(BigInt(at), 24)
    const r = parsePlist(
      Buffer.concat([Buffer.from('bplist00'), ...objs, Buffer.from(offsets), trailer]),
    )
    expect(r.anomalies.map((a) => a.message)).toContain('too many objects')
  })

  it('says what is not a plist', () => {
    expect(parsePlist(Buffer.from('hello')).format).toBe('unknown')
    expect(parsePlist(Buffer.alloc(0)).anomalies).toHaveLength(1)
  })
})
