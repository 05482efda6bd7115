import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { elfOf } from '../../binary/elf/elf-of.js'
import { fsArtifact, memArtifact, runCatalogers, walkFiles } from '../testing.js'
import { findGoBuildInfo, findGoBuildInfoIn } from './buildinfo.js'
import { goBinaryCataloger } from './go-binary.js'

const testdata = join(import.meta.dirname, 'testdata')
const hasGo = (() => {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/** name@version set `go version -m` implies: main module, deps with `=>` applied, stdlib. */
function goVersionM(file: string): string[] {
  const out = execFileSync('go', ['version', '-m', file], { encoding: 'utf8', maxBuffer: 64 << 20 })
  const lines = out.split('\n')
  const goVersion = /: go(\d+\.\d+(?:\.\d+)?)/.exec(lines[0] ?? '')?.[1]
  const set: string[] = goVersion ? [`stdlib@${goVersion}`] : []
  for (let i = 1; i < lines.length; i++) {
    const [, kind, path, version] = lines[i]!.split('\t')
    if (kind !== 'mod' && kind !== 'dep') continue
    const [, next, rPath, rVersion] = (lines[i + 1] ?? '').split('\t')
    if (next === '=>' && rVersion) set.push(`${rPath}@${rVersion}`)
    else set.push(`${path}@${version}`)
  }
  return [...new Set(set)].sort()
}

const nv = (cs: { name: string; version: string }[]) =>
  [...new Set(cs.map((c) => `${c.name}@${c.version}`))].sort()

const EXPECTED = [
  'example.com/local@v0.0.0',
  'github.com/google/uuid@v1.3.0',
  'github.com/vigil-fixtures/hello@v1.2.3',
  'golang.org/x/net@v0.7.0',
  'golang.org/x/text@v0.3.8',
]

describe('Go build info', () => {
  it.each([
    ['go-inline.elf', '1.21.5'],
    ['go-inline.exe', '1.21.5'],
    ['go-inline.macho', '1.21.5'],
    ['go-pointer.elf', '1.16.15'],
    ['go-pointer.exe', '1.16.15'],
    ['go-pointer.macho', '1.16.15'],
  ])('%s', async (file, std) => {
    const a = memArtifact(`bin/${file}`, readFileSync(join(testdata, file)))
    const { components, problems } = await runCatalogers([goBinaryCataloger], [a])
    expect(problems).toEqual([])
    expect(nv(components)).toEqual([...EXPECTED, `stdlib@${std}`].sort())
    const main = components.find((c) => c.metadata?.main)!
    expect(main).toMatchObject({
      purl: 'pkg:golang/github.com/vigil-fixtures/hello@v1.2.3',
      ecosystem: 'golang',
      foundBy: 'go-module-binary',
      locations: [`bin/${file}`],
    })
    const settings = main.metadata?.settings as Record<string, string>
    expect(settings['vcs.revision']).toMatch(/^4f0b/)
    const text = components.find((c) => c.name === 'golang.org/x/text')!
    expect(text.metadata).toMatchObject({ replaces: 'golang.org/x/text@v0.3.7' })
    expect(components.find((c) => c.name === 'example.com/local')?.metadata).toMatchObject({
      replacedByLocalPath: '../local',
    })
  })

  it('without an address map a pointer-format header is reported, not guessed', () => {
    const r = findGoBuildInfo(readFileSync(join(testdata, 'go-pointer.exe')))
    expect(r.kind).toBe('needs-map')
  })

  it('a plain mention of the magic does not decode', () => {
    const b = Buffer.concat([
      Buffer.from('\xff Go buildinf:', 'latin1'),
      Buffer.from('not a header at all, just text.'),
    ])
    expect(findGoBuildInfo(b).kind).toBe('none')
  })

  it('reads the header from the .go.buildinfo section, not from the whole file', async () => {
    const bytes = readFileSync(join(testdata, 'go-inline.elf'))
    const a = memArtifact('go', bytes)
    const section = (await elfOf(a))?.sections.find((s) => s.name === '.go.buildinfo')
    expect(section).toBeDefined()
    const r = findGoBuildInfoIn(bytes, section!.offset)
    expect(r.kind === 'found' && r.info.offset).toBe(section!.offset)
    // A second, decodable copy appended past the end is not what go version -m reads.
    const copy = bytes.subarray(section!.offset, section!.offset + section!.size)
    const appended = memArtifact('go', Buffer.concat([bytes, Buffer.alloc(7), copy]))
    const { components } = await runCatalogers([goBinaryCataloger], [appended])
    expect(nv(components)).toEqual([...EXPECTED, 'stdlib@1.21.5'].sort())
  })

  it('a decodable header only outside the section and the data window is not Go build info', async () => {
    // The header moved 80 KiB past the end of the file's last segment: Go's reader and ours
    // look only where the linker puts it (the section, its first 64 KiB).
    const bytes = Buffer.from(readFileSync(join(testdata, 'go-inline.elf')))
    const a = memArtifact('go', bytes)
    const section = (await elfOf(a))!.sections.find((s) => s.name === '.go.buildinfo')!
    const blob = Buffer.from(bytes.subarray(section.offset, section.offset + section.size))
    bytes.fill(0, section.offset, section.offset + section.size)
    const moved = memArtifact('go', Buffer.concat([bytes, Buffer.alloc(80 << 10), blob]))
    expect(findGoBuildInfo(await moved.bytes()).kind).toBe('found')
    const { components, problems } = await runCatalogers([goBinaryCataloger], [moved])
    expect(problems).toEqual([])
    expect(components).toEqual([])
  })

  it('without section headers, the first writable segment is searched at 16-byte steps', async () => {
    const bytes = Buffer.from(readFileSync(join(testdata, 'go-inline.elf')))
    // Drop the section header table (e_shoff, e_shnum, e_shstrndx), as sstrip does.
    bytes.fill(0, 0x28, 0x30)
    bytes.fill(0, 0x3c, 0x40)
    const a = memArtifact('go', bytes)
    expect((await elfOf(a))?.sections.length ?? 0).toBe(0)
    const { components } = await runCatalogers([goBinaryCataloger], [a])
    expect(nv(components)).toEqual([...EXPECTED, 'stdlib@1.21.5'].sort())
  })

  it('an unaligned copy of the magic in the window is stepped over', () => {
    const bytes = readFileSync(join(testdata, 'go-inline.elf'))
    const at = bytes.indexOf('\xff Go buildinf:', 0, 'latin1')
    // Start 8 bytes early: the header is then at an unaligned distance and not taken.
    expect(findGoBuildInfoIn(bytes, at - 8).kind).toBe('none')
    expect(findGoBuildInfoIn(bytes, at - 16).kind).toBe('found')
  })

  it('a binary whose headers cannot be parsed is still searched whole', async () => {
    const bytes = readFileSync(join(testdata, 'go-inline.elf'))
    const at = bytes.indexOf('\xff Go buildinf:', 0, 'latin1')
    const damaged = Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(60), bytes.subarray(at)])
    const { components } = await runCatalogers([goBinaryCataloger], [memArtifact('go', damaged)])
    expect(nv(components)).toEqual([...EXPECTED, 'stdlib@1.21.5'].sort())
  })

  const fixtures = [
    'go-inline.elf',
    'go-inline.exe',
    'go-inline.macho',
    'go-pointer.exe',
    'go-pointer.macho',
  ]
  it.skipIf(!hasGo).each(fixtures)('agrees with go version -m on %s', async (file) => {
    const path = join(testdata, file)
    const { components } = await runCatalogers(
      [goBinaryCataloger],
      [memArtifact(file, readFileSync(path))],
    )
    expect(nv(components)).toEqual(goVersionM(path))
  })

  it.skipIf(!hasGo)(
    'finds build info in exactly the toolchain binaries go version reports, with its version',
    async () => {
      const root = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim()
      const files = [join(root, 'bin'), join(root, 'pkg/tool')]
        .filter(existsSync)
        .flatMap((d) => walkFiles(d, () => true))
      const expected = new Map(
        execFileSync('go', ['version', ...files], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .map((l) => l.split(': ') as [string, string]),
      )
      expect(expected.size).toBeGreaterThan(0)
      const found = new Map<string, string>()
      for (const f of files) {
        const { components } = await runCatalogers([goBinaryCataloger], [fsArtifact('/', f)])
        const v = components.find((c) => c.name === 'stdlib')?.metadata?.goVersion
        if (typeof v === 'string') found.set(f, v)
      }
      expect(found).toEqual(expected)
    },
  )

  const real = ['/usr/local/bin/docker', '/usr/local/bin/terraform'].filter(existsSync)
  it.skipIf(!hasGo || real.length === 0).each(real)(
    'agrees with go version -m on %s',
    async (path) => {
      const { components } = await runCatalogers(
        [goBinaryCataloger],
        [memArtifact('bin', readFileSync(path))],
      )
      const expected = goVersionM(path)
      expect(expected.length).toBeGreaterThan(0)
      expect(nv(components)).toEqual(expected)
    },
  )
})
