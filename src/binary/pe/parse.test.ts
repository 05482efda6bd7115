import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadTrustStore, type TrustStore } from '../authenticode/certificates.js'
import { verifyAuthenticode } from '../authenticode/verify.js'
import { parsePe } from './parse.js'
import { PE_GOLDEN, PE_TRUST_DIR, peFixtureNames, readPeFixture } from './testing.js'

const parse = (name: string) => {
  const pe = parsePe(readPeFixture(name))
  if (!pe) throw new Error(`${name} is not a PE`)
  return pe
}

describe('parsePe on the fixtures', () => {
  it('reads headers, sections and version info of the x64 helper DLL', () => {
    const pe = parse('helper-signed.dll')
    expect(pe.format).toBe('pe32+')
    expect(pe.arch).toBe('x64')
    expect(pe.isDll).toBe(true)
    expect(pe.sections.map((s) => s.name)).toContain('.text')
    expect(pe.sections.find((s) => s.name === '.text')?.entropy).toBeGreaterThan(4)
    expect(pe.versionInfo?.strings).toMatchObject({
      CompanyName: 'Vigil Test Fixtures Ltd',
      ProductName: 'Vigil Fixture App',
      FileVersion: '18.12.416.0',
      ProductVersion: '18.12.416',
      OriginalFilename: 'helper.dll',
      InternalName: 'helper',
      FileDescription: 'Vigil fixture helper library',
    })
    expect(pe.versionInfo?.fixed?.fileVersion).toBe('18.12.416.0')
    expect(pe.debug[0]).toMatchObject({
      typeName: 'codeview',
      pdbPath: 'C:\\build\\vigil\\helper.pdb',
    })
    expect(pe.anomalies).toEqual([])
  })

  it('reads named and ordinal-only exports', () => {
    const fns = parse('helper-unsigned.dll').exports?.functions ?? []
    expect(fns.map((f) => f.name).filter(Boolean)).toEqual([
      'vigil_helper_add',
      'vigil_helper_checksum',
      'vigil_helper_name',
    ])
    expect(fns.find((f) => f.ordinal === 42)?.name).toBeUndefined()
  })

  it('reads imports of the EXE, including the helper DLL and Winsock', () => {
    const pe = parse('app/VigilApp.exe')
    const dlls = pe.imports.map((i) => i.dll.toLowerCase())
    expect(dlls).toEqual(expect.arrayContaining(['helper.dll', 'kernel32.dll', 'ws2_32.dll']))
    const helper = pe.imports.find((i) => i.dll === 'helper.dll')
    expect(helper?.functions.map((f) => f.name)).toEqual(['vigil_helper_add', 'vigil_helper_name'])
    expect(pe.imphash).toMatch(/^[0-9a-f]{32}$/)
  })

  it('reads a PE32 image', () => {
    const pe = parse('helper32-signed.dll')
    expect(pe.format).toBe('pe32')
    expect(pe.arch).toBe('x86')
    expect(pe.certificateTable?.entries).toHaveLength(1)
  })

  it('describes the certificate table, and the padding appended inside it', () => {
    const clean = parse('helper-signed.dll').certificateTable!
    const entry = clean.entries[0]!
    expect(entry).toMatchObject({ revision: 0x200, type: 2, beyondAlignment: 0 })
    expect(entry.length).toBeGreaterThanOrEqual(8 + entry.derLength!)
    const padded = parse('helper-padded.dll').certificateTable!.entries[0]!
    expect(padded.derLength).toBe(entry.derLength)
    expect(padded.beyondAlignment).toBe(8 + 4096)
    expect(padded.trailing?.entropy).toBeGreaterThan(7.5)
    expect(padded.trailing?.head).toContain('feedfacefeedface')
  })

  it('separates the overlay from the certificate table', () => {
    expect(parse('helper-signed.dll').overlay).toBeUndefined()
    const o = parse('overlay-random.exe').overlay
    expect(o).toMatchObject({ size: 8192 })
    expect(o?.entropy).toBeGreaterThan(7.9)
  })

  it('reads a CLR header and the metadata version (.NET)', () => {
    // No C# compiler here: write a CLR header and a BSJB metadata root into zero bytes at the end
    // of .rdata, and point data directory 14 at them.
    const bytes = Buffer.from(readPeFixture('helper-unsigned.dll'))
    const pe = parsePe(bytes)!
    const rdata = pe.sections.find((s) => s.name === '.rdata')!
    const at = rdata.rawOffset + rdata.rawSize - 128
    expect(bytes.subarray(at, at + 128).every((b) => b === 0)).toBe(true)
    const rva = rdata.virtualAddress + (at - rdata.rawOffset)
    bytes.writeUInt32LE(72, at) // cb
    bytes.writeUInt16LE(2, at + 4)
    bytes.writeUInt16LE(5, at + 6)
    bytes.writeUInt32LE(rva + 72, at + 8) // metadata RVA
    bytes.writeUInt32LE(32, at + 12)
    bytes.writeUInt32LE(1, at + 16) // COMIMAGE_FLAGS_ILONLY
    bytes.writeUInt32LE(0x424a5342, at + 72)
    bytes.writeUInt32LE(12, at + 72 + 12)
    bytes.write('v4.0.30319', at + 72 + 16, 'latin1')
    const dir = pe.offsets.optionalHeader + 112 + 14 * 8
    bytes.writeUInt32LE(rva, dir)
    bytes.writeUInt32LE(72, dir + 4)
    expect(parsePe(bytes)!.clr).toEqual({
      runtimeVersion: '2.5',
      flags: 1,
      metadataVersion: 'v4.0.30319',
    })
    expect(pe.clr).toBeUndefined()
  })

  it('returns undefined for bytes that are not a PE', () => {
    expect(parsePe(new Uint8Array())).toBeUndefined()
    expect(parsePe(Buffer.from('MZ but nothing else'))).toBeUndefined()
    expect(parsePe(readFileSync(new URL(import.meta.url)))).toBeUndefined()
  })

  it('records truncation and hostile fields as anomalies instead of throwing', () => {
    const whole = readPeFixture('helper-signed.dll')
    const cut = parsePe(whole.subarray(0, 3000))!
    expect(cut.anomalies.map((a) => a.code)).toEqual(
      expect.arrayContaining(['section-beyond-file', 'certificate-table-out-of-file']),
    )
    const hostile = Buffer.from(whole)
    const pe = parsePe(whole)!
    const sections = pe.offsets.pe + 6
    hostile.writeUInt16LE(0xffff, sections)
    const dir = pe.offsets.certificateDirectory!
    hostile.writeUInt32LE(0xfffffff0, dir + 4)
    const parsed = parsePe(hostile)!
    expect(parsed.anomalies.map((a) => a.code)).toEqual(
      expect.arrayContaining(['many-sections', 'certificate-table-out-of-file']),
    )
    expect(parsed.anomalies.some((a) => a.code === 'internal-error')).toBe(false)
  })

  it('bounds the work of overlapping sections and resource directories', () => {
    const b = hostilePe()
    const started = process.cpuUsage()
    const pe = parsePe(b)!
    const used = process.cpuUsage(started)
    expect((used.user + used.system) / 1000).toBeLessThan(1000)
    expect(pe.sections).toHaveLength(1024)
    expect(pe.anomalies.map((a) => a.code)).toEqual(
      expect.arrayContaining(['entropy-budget-exhausted', 'resource-budget-exhausted']),
    )
  })

  it('never changes the bytes it reads', () => {
    const bytes = readPeFixture('helper-padded.dll')
    const copy = Buffer.from(bytes)
    parsePe(bytes)
    expect(bytes.equals(copy)).toBe(true)
  })
})

/**
 * 1 MiB PE32+ with 1,024 sections that all cover the whole file, and a resource root whose 65,535
 * entries each open a different (overlapping) subdirectory of 131,070 entries: unbounded, the
 * parse would measure 1 GiB of entropy and visit 8.6 billion directory entries.
 */
function hostilePe(): Buffer {
  const size = 1024 * 1024
  const b = Buffer.alloc(size)
  b.writeUInt16LE(0x5a4d, 0)
  b.writeUInt32LE(0x40, 0x3c)
  b.writeUInt32LE(0x4550, 0x40)
  b.writeUInt16LE(0x8664, 0x44)
  b.writeUInt16LE(1024, 0x46)
  b.writeUInt16LE(240, 0x54)
  const opt = 0x58
  b.writeUInt16LE(0x20b, opt)
  b.writeUInt32LE(0x1000, opt + 60)
  b.writeUInt32LE(16, opt + 108)
  b.writeUInt32LE(0x1_0000, opt + 112 + 2 * 8)
  b.writeUInt32LE(size - 0x1_0000, opt + 112 + 2 * 8 + 4)
  for (let i = 0; i < 1024; i++) {
    const at = opt + 240 + i * 40
    b.write('.x', at, 'latin1')
    b.writeUInt32LE(size, at + 8)
    b.writeUInt32LE(0x1_0000, at + 12)
    b.writeUInt32LE(size - 0x1_0000, at + 16)
    b.writeUInt32LE(0x1_0000, at + 20)
  }
  const root = 0x1_0000
  b.writeUInt16LE(0xffff, root + 14)
  const subs = 16 + 8 * 0xffff
  for (let i = 0; i < 0xffff; i++) {
    b.writeUInt32LE(i, root + 16 + i * 8)
    b.writeUInt32LE((0x8000_0000 | (subs + 2 * i)) >>> 0, root + 16 + i * 8 + 4)
  }
  b.fill(0xff, root + subs)
  return b
}

describe('golden dumps', () => {
  let store: TrustStore
  beforeAll(async () => {
    store = await loadTrustStore(PE_TRUST_DIR)
  })
  const update = process.env.UPDATE_GOLDEN === '1'
  for (const name of peFixtureNames()) {
    it(`${name} matches its golden JSON`, () => {
      const bytes = readPeFixture(name)
      const pe = parsePe(bytes)!
      const dump = { pe, authenticode: verifyAuthenticode(bytes, pe, { trustStore: store }) }
      const text = `${JSON.stringify(dump, null, 2)}\n`
      const file = join(PE_GOLDEN, `${name.replaceAll('/', '__')}.golden.json`)
      if (update) {
        mkdirSync(PE_GOLDEN, { recursive: true })
        writeFileSync(file, text)
      }
      expect(existsSync(file), `${file} missing: run with UPDATE_GOLDEN=1`).toBe(true)
      expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(file, 'utf8')))
    })
  }
})
