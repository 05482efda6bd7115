import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { imphash } from './imphash.js'
import { imphashOrdinalName, imphashOrdinalTable } from './imphash-ordinals.js'
import { parsePe } from './parse.js'
import { readPeFixture } from './testing.js'

const md5 = (s: string) => createHash('md5').update(s).digest('hex')

describe('imphash ordinal tables (pefile / YARA frozen tables)', () => {
  it('has every ws2_32 and oleaut32 entry', () => {
    expect(imphashOrdinalTable('ws2_32.dll')?.size).toBe(117)
    expect(imphashOrdinalTable('oleaut32.dll')?.size).toBe(398)
  })

  it.each([
    ['ws2_32.dll', 1, 'accept'],
    ['ws2_32.dll', 23, 'socket'],
    ['ws2_32.dll', 57, 'gethostname'],
    ['ws2_32.dll', 99, 'getnameinfo'],
    ['WSOCK32.DLL', 115, 'WSAStartup'],
    ['ws2_32.dll', 151, '__WSAFDIsSet'],
    ['ws2_32.dll', 500, 'WEP'],
    ['oleaut32.dll', 2, 'SysAllocString'],
    ['oleaut32.dll', 57, 'SafeArraySetIID'],
    ['oleaut32.dll', 123, 'VarBoolFromDate'],
    ['oleaut32.dll', 124, 'VarBoolFromCy'],
    ['oleaut32.dll', 189, 'VarDecNeg'],
    ['oleaut32.dll', 199, 'VarDecFromBool'],
    ['oleaut32.dll', 204, 'VarDecCmp'],
    ['oleaut32.dll', 249, 'VarI1FromDate'],
    ['oleaut32.dll', 250, 'VarI1FromCy'],
    ['oleaut32.dll', 256, 'VarI1FromDec'],
    ['oleaut32.dll', 269, 'VarUI2FromDec'],
    ['oleaut32.dll', 282, 'VarUI4FromDec'],
    ['oleaut32.dll', 301, 'OACreateTypeLib2'],
    ['oleaut32.dll', 319, 'VarDateFromUdateEx'],
    ['oleaut32.dll', 333, 'VarI8FromUI1'],
    ['oleaut32.dll', 345, 'VarI8FromDec'],
    ['oleaut32.dll', 379, 'VarUI2FromUI8'],
    ['oleaut32.dll', 429, 'VarUI8FromUI1'],
    ['oleaut32.dll', 430, 'VarUI8FromI2'],
    ['oleaut32.dll', 431, 'VarUI8FromR4'],
    ['oleaut32.dll', 441, 'VarUI8FromDec'],
    ['oleaut32.dll', 443, 'UnRegisterTypeLibForUser'],
  ])('%s ordinal %i is %s', (dll, ord, name) => {
    expect(imphashOrdinalName(dll, ord)).toBe(name)
  })

  it('writes ordN for unknown ordinals and other DLLs', () => {
    expect(imphashOrdinalName('oleaut32.dll', 302)).toBe('ord302')
    expect(imphashOrdinalName('helper.dll', 42)).toBe('ord42')
  })
})

describe('imphash', () => {
  it('lowercases, strips dll/ocx/sys only, resolves ordinals, skips delay-load imports', () => {
    const h = imphash([
      { dll: 'KERNEL32.dll', delayLoad: false, functions: [{ name: 'ExitProcess' }] },
      { dll: 'WS2_32.DLL', delayLoad: false, functions: [{ ordinal: 115 }] },
      { dll: 'comctl32.ocx', delayLoad: false, functions: [{ ordinal: 17 }] },
      { dll: 'driver.sys', delayLoad: false, functions: [{ name: 'A' }] },
      { dll: 'tool.exe', delayLoad: false, functions: [{ name: 'B' }] },
      { dll: 'late.dll', delayLoad: true, functions: [{ name: 'C' }] },
    ])
    expect(h).toBe(md5('kernel32.exitprocess,ws2_32.wsastartup,comctl32.ord17,driver.a,tool.exe.b'))
  })

  it('is undefined without regular imports', () => {
    expect(imphash([])).toBeUndefined()
  })

  it('matches the hand-computed value of the ordinal-import fixture', () => {
    const pe = parsePe(readPeFixture('delay-load.exe'))!
    expect(pe.imphash).toBe(
      md5('ws2_32.wsacleanup,ws2_32.wsastartup,oleaut32.sysallocstring,kernel32.exitprocess'),
    )
    expect(pe.imports.find((i) => i.delayLoad)).toMatchObject({
      dll: 'helper.dll',
      functions: [{ name: 'vigil_helper_add' }, { ordinal: 42 }, { name: 'vigil_helper_name' }],
    })
  })
})
