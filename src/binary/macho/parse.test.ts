import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { golden } from '../golden.js'
import { isMachO, parseMachO } from './parse.js'

const dir = fileURLToPath(new URL('../../../scripts/fixtures/macho/out/', import.meta.url))
const goldenDir = fileURLToPath(new URL('./golden/', import.meta.url))
const read = (name: string) => readFileSync(join(dir, name))

const THIN = [
  'hello-arm64',
  'hello-x86_64',
  'libgreet.dylib',
  'hello-signed',
  'hello-arm64-overlay',
]
const FAT = ['hello-universal', 'hello-universal64']
const ALL = [
  ...THIN,
  ...FAT,
  'hello-arm64-tampered',
  'hello-signed-tampered',
  'LookAlike.app/Contents/MacOS/LookAlike',
]

describe('parseMachO golden dumps', () => {
  for (const name of ALL) {
    it(name, () => {
      const [actual, expected] = golden(
        join(goldenDir, `${name.replace(/\//g, '_')}.golden.json`),
        parseMachO(read(name)),
      )
      expect(actual).toBe(expected)
    })
  }
})

describe('parseMachO page-hash verification', () => {
  it('agrees with the signatures lld and the fixture signer wrote: untouched files all match', () => {
    for (const name of [...THIN, ...FAT]) {
      for (const s of parseMachO(read(name)).slices) {
        for (const cd of s.codeSignature?.codeDirectories ?? []) {
          expect(cd.pages.mismatched, `${name} ${s.arch}`).toEqual([])
          expect(cd.pages.checked, `${name} ${s.arch}`).toBe(cd.nCodeSlots)
          expect(cd.pages.checked).toBeGreaterThan(0)
        }
      }
    }
  })

  it('finds the one page changed in __text, at the flipped byte', () => {
    const clean = read('hello-arm64')
    const tampered = read('hello-arm64-tampered')
    const diff = clean.findIndex((b, i) => b !== tampered[i])
    const cd = parseMachO(tampered).slices[0]!.codeSignature!.codeDirectories[0]!
    expect(cd.pages.mismatched).toHaveLength(1)
    const m = cd.pages.mismatched[0]!
    expect(diff).toBeGreaterThanOrEqual(m.offset)
    expect(diff).toBeLessThan(m.offset + m.size)
    expect(m.index).toBe(Math.floor(diff / cd.pageSize))
  })

  it('reads the fixture signer: team, CMS chain, entitlements, requirements, cdhash', () => {
    const sig = parseMachO(read('hello-signed')).slices[0]!.codeSignature!
    const cd = sig.codeDirectories[0]!
    expect(cd).toMatchObject({
      identifier: 'test.vigil.hello',
      teamId: 'TEAMAAAAAA',
      adhoc: false,
      runtime: true,
    })
    expect(cd.cdhash).toMatch(/^[0-9a-f]{40}$/)
    expect(sig.cms?.teamId).toBe('TEAMAAAAAA')
    expect(sig.cms?.signer?.issuer).toBe('CN=Vigil Fixture Root CA, O=Vigil Test')
    expect(sig.cms?.certificates).toHaveLength(2)
    expect(sig.entitlements?.keys).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.network.client',
    ])
    expect(cd.specialSlots.filter((s) => s.verified).map((s) => s.name)).toEqual([
      'requirements',
      'entitlements',
    ])
  })
})

describe('parseMachO cross-checked with llvm-objdump', () => {
  const objdump = (args: string[]) =>
    execFileSync('llvm-objdump', ['--macho', ...args], { encoding: 'utf8' })
  const cases = [
    ...THIN.map((n) => [n, undefined] as const),
    ...FAT.flatMap(
      (n) =>
        [
          [n, 'arm64'],
          [n, 'x86_64'],
        ] as const,
    ),
  ]
  for (const [name, arch] of cases) {
    it(`${name}${arch ? ` (${arch})` : ''}: load commands, dylibs, rpaths, uuid`, () => {
      const archArgs = arch ? [`--arch=${arch}`] : []
      const file = join(dir, name)
      const slice = parseMachO(read(name)).slices.find((s) => !arch || s.arch === arch)!
      const headers = objdump([...archArgs, '--private-headers', file])
      const cmds = [...headers.matchAll(/^\s+cmd (LC_\w+)/gm)].map((m) => m[1])
      expect(slice.loadCommands.map((c) => c.name)).toEqual(cmds)
      const rpaths = [...headers.matchAll(/^\s+path (.+) \(offset \d+\)$/gm)].map((m) => m[1])
      expect(slice.rpaths).toEqual(rpaths)
      expect(slice.uuid).toBe(/^\s+uuid (\S+)/m.exec(headers)?.[1])
      const used = objdump([...archArgs, '--dylibs-used', file])
        .split('\n')
        .filter((l) => l.startsWith('\t'))
        .map((l) => {
          const m =
            /^\t(.+) \(compatibility version ([\d.]+), current version ([\d.]+)(, weak|, reexport)?\)/.exec(
              l,
            )!
          return `${m[1]} ${m[2]} ${m[3]}${m[4] ?? ''}`
        })
      const ours = [...(slice.idDylib ? [slice.idDylib] : []), ...slice.dylibs].map(
        (d) =>
          `${d.path} ${d.compatibilityVersion} ${d.currentVersion}${d.kind === 'weak' ? ', weak' : d.kind === 'reexport' ? ', reexport' : ''}`,
      )
      expect(ours).toEqual(used)
    })
  }
})

describe('parseMachO on hostile input', () => {
  it('tells Java class files from universal binaries', () => {
    const cls = Buffer.from('cafebabe00000034', 'hex')
    expect(isMachO(cls)).toBe(false)
    expect(isMachO(read('hello-universal'))).toBe(true)
  })

  it('records truncation as anomalies at every cut point, never throwing', () => {
    const b = read('hello-signed')
    for (const cut of [0, 3, 20, 31, 100, 700, 16_000, 49_600, 50_000, b.length - 1]) {
      const f = parseMachO(b.subarray(0, cut))
      if (cut < b.length) expect(f.anomalies.length, `cut at ${cut}`).toBeGreaterThan(0)
    }
  })

  it('rejects a fat header whose slice points outside the file', () => {
    const b = Buffer.from(read('hello-universal'))
    b.writeUInt32BE(0x7fff0000, 8 + 8)
    const f = parseMachO(b)
    expect(f.anomalies.map((a) => a.code)).toContain('fat-arch-out-of-bounds')
    expect(f.slices).toHaveLength(1)
  })
})
