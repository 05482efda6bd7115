/**
 * Fuzzes every inventory parser with mutated real fixtures (seeded, reproducible). Pure parsers
 * that promise never to throw (RPM header, Go build info, deb822, apk) must not throw; parsers
 * that may reject malformed text (JSON, YAML, TOML, XML) may throw only Errors, which the
 * catalogers' guard turns into Problems; nothing may hang, and every component is well formed.
 * Iterations per parser: VIGIL_FUZZ_ITERATIONS (default 20,000).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { rng } from '../binary/fuzz.js'
import type { Component, Problem } from '../core/types.js'
import { parseApkInstalled } from './apk/apk-installed.js'
import { parseDepsJson } from './dotnet/deps-json.js'
import { parseDpkgStatus } from './dpkg/dpkg-status.js'
import { BUILDINFO_MAGIC, findGoBuildInfo, findGoBuildInfoIn } from './golang/buildinfo.js'
import { goBinaryCataloger } from './golang/go-binary.js'
import { parseManifest, parseProperties } from './java/java-archive.js'
import { bundleComponent } from './macos/app-bundle.js'
import { parsePackageLock } from './npm/package-lock.js'
import { parsePnpmLock, pnpmComponents } from './npm/pnpm-lock.js'
import { berryComponents, parseYarnLock } from './npm/yarn-lock.js'
import { parseCoreMetadata } from './python/core-metadata.js'
import { parsePoetryLock } from './python/poetry-lock.js'
import { parseRequirements } from './python/requirements.js'
import { parseUvLock } from './python/uv-lock.js'
import { parseRpmHeader } from './rpm/header.js'
import { parseRpmdbSqlite } from './rpm/rpmdb-sqlite.js'
import { openSqliteBytes } from './rpm/sqlite.js'
import { parseAuditableJson } from './rust/cargo-auditable.js'
import { cycloneDxComponents, parseCycloneDx } from './sbom/cyclonedx.js'
import { parseSpdxJson } from './sbom/spdx.js'
import { artifactContext, memArtifact, sniffType } from './testing.js'
import { msiComponent } from './windows/msi.js'

const ITERATIONS = Number(process.env.VIGIL_FUZZ_ITERATIONS ?? 20_000)
const here = import.meta.dirname
const read = (p: string) => readFileSync(join(here, p))

function mutate(src: Buffer, r: () => number): Buffer {
  const b = Buffer.from(src)
  const n = 1 + Math.floor(r() * 4)
  let out = b
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * Math.max(1, out.length))
    const op = Math.floor(r() * 5)
    if (op === 0 && out.length > 0) out[at] = Math.floor(r() * 256)
    else if (op === 1) out = out.subarray(0, at)
    else if (op === 2)
      out = Buffer.concat([
        out.subarray(0, at),
        Buffer.from([Math.floor(r() * 256), 0x0a, 0x3a]),
        out.subarray(at),
      ])
    else if (op === 3) {
      const len = Math.floor(r() * 64)
      out = Buffer.concat([out.subarray(0, at), out.subarray(at, at + len), out.subarray(at)])
    } else if (out.length > 0)
      out = Buffer.concat([
        out.subarray(0, at),
        out.subarray(Math.min(out.length, at + Math.floor(r() * 32))),
      ])
  }
  return out
}

const ODD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  '',
  '@',
  '/@x/1',
  'a@b@c',
  [],
  {},
  [1, 'x'],
  { name: 1 },
  true,
  '(x)',
  '__proto__',
]

/** A copy of a parsed document with random values replaced by odd ones (any JSON shape). */
function mutateDoc(v: unknown, r: () => number, depth = 0): unknown {
  if (r() < 0.04) return ODD_VALUES[Math.floor(r() * ODD_VALUES.length)]
  if (depth > 8 || v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map((x) => mutateDoc(x, r, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) {
    const key = r() < 0.02 ? `${k.slice(0, Math.floor(r() * k.length))}` : k
    out[key] = mutateDoc(x, r, depth + 1)
  }
  return out
}

function wellFormed(cs: Component[]): void {
  for (const c of cs) {
    if (typeof c.name !== 'string' || typeof c.version !== 'string' || typeof c.purl !== 'string')
      throw new Error(`bad component ${JSON.stringify(c)}`)
    if (!Array.isArray(c.locations) || c.locations.length === 0)
      throw new Error('component without location')
  }
}

type Parse = (b: Buffer) => Component[] | unknown

function fuzz(
  seed: number,
  fixture: Buffer,
  parse: Parse,
  opts: { mayThrow: boolean; iterations?: number },
): void {
  const r = rng(seed)
  const iterations = opts.iterations ?? ITERATIONS
  for (let i = 0; i < iterations; i++) {
    const input = mutate(fixture, r)
    try {
      const res = parse(input)
      if (Array.isArray(res)) wellFormed(res as Component[])
    } catch (err) {
      if (
        !opts.mayThrow ||
        !(err instanceof Error) ||
        /bad component|without location/.test(err.message)
      ) {
        throw new Error(`iteration ${i} (seed ${seed}): ${String(err)}`)
      }
    }
  }
}

const text = (f: (t: string, l: string) => Component[]) => (b: Buffer) => f(b.toString('utf8'), 'x')

describe('inventory parsers under mutation', () => {
  const cases: [string, Buffer, Parse, boolean][] = [
    ['package-lock v2', read('npm/testdata/lock-v2.json'), text(parsePackageLock), true],
    ['package-lock v1', read('npm/testdata/lock-v1.json'), text(parsePackageLock), true],
    ['yarn v1', read('npm/testdata/yarn-v1.lock'), text(parseYarnLock), true],
    [
      'METADATA',
      read('python/testdata/site-packages/six-1.17.0.dist-info/METADATA'),
      text(parseCoreMetadata),
      false,
    ],
    ['poetry.lock', read('python/testdata/poetry.lock'), text(parsePoetryLock), true],
    ['uv.lock', read('python/testdata/uv.lock'), text(parseUvLock), true],
    ['requirements', read('python/testdata/requirements-test.txt'), text(parseRequirements), false],
    ['dpkg status', read('dpkg/testdata/status'), text(parseDpkgStatus), false],
    ['apk installed', read('apk/testdata/lib/apk/db/installed'), text(parseApkInstalled), false],
    ['go inline', read('golang/testdata/go-inline.exe'), (b) => findGoBuildInfo(b), false],
    [
      'java properties',
      Buffer.from('#c\ngroupId=org.x\nartifactId=a\\\n b\nversion=1.0\n'),
      (b) => parseProperties(b.toString()),
      false,
    ],
    [
      'java manifest',
      Buffer.from('Manifest-Version: 1.0\r\nBundle-Name: a\r\n b\r\n\r\n'),
      (b) => parseManifest(b.toString()),
      false,
    ],
    [
      'Info.plist xml',
      read('macos/testdata/3CX Desktop App.app/Contents/Info.plist'),
      (b) => bundleComponent(b, 'A.app/Contents/Info.plist'),
      true,
    ],
    [
      'Info.plist binary',
      read(
        'macos/testdata/3CX Desktop App.app/Contents/Frameworks/Electron Framework.framework/Versions/A/Resources/Info.plist',
      ),
      (b) => bundleComponent(b, 'E.framework/Resources/Info.plist'),
      true,
    ],
    [
      'cargo auditable json',
      Buffer.from(
        '{"packages":[{"name":"a","version":"1","source":"crates.io","root":true},{"name":"b","version":"2"}]}',
      ),
      text(parseAuditableJson),
      true,
    ],
    ['cyclonedx json', read('sbom/testdata/app.cdx.json'), text(parseCycloneDx), true],
    ['spdx json', read('sbom/testdata/app.spdx.json'), text(parseSpdxJson), true],
    ['deps.json', read('dotnet/testdata/VigilFixtureApp.deps.json'), text(parseDepsJson), true],
    [
      'msi (mini stream)',
      read('windows/testdata/msi/3CXDesktopApp-18.12.416.msi'),
      (b) => msiComponent(b, 'x'),
      false,
    ],
    [
      'msi (regular sectors)',
      read('windows/testdata/msi/3CXDesktopApp-18.12.425.msi'),
      (b) => msiComponent(b, 'x'),
      false,
    ],
  ]
  it.each(cases)('%s', (_name, fixture, parse, mayThrow) => {
    fuzz(fixture.length * 31 + 7, fixture, parse, { mayThrow })
  })

  /**
   * YAML lockfiles: the YAML parser is a dependency (slow on hostile text), so text mutation runs
   * a fortieth of the iterations; the mapping from documents to components, which is ours, gets the
   * full count over structurally mutated documents.
   */
  const yamlCases: [
    string,
    string,
    (t: string, l: string) => Component[],
    (d: unknown, l: string) => Component[],
  ][] = [
    ['yarn berry', 'npm/testdata/yarn-berry.lock', parseYarnLock, berryComponents],
    ['pnpm v9', 'npm/testdata/pnpm-v9.yaml', parsePnpmLock, pnpmComponents],
    ['pnpm v5', 'npm/testdata/pnpm-v5.yaml', parsePnpmLock, pnpmComponents],
  ]
  it.each(yamlCases)('%s', (_name, file, fromText, fromDoc) => {
    const fixture = read(file)
    fuzz(fixture.length, fixture, text(fromText), {
      mayThrow: true,
      iterations: Math.ceil(ITERATIONS / 40),
    })
    const doc = parseYaml(fixture.toString('utf8'))
    const r = rng(fixture.length + 1)
    for (let i = 0; i < ITERATIONS; i++) wellFormed(fromDoc(mutateDoc(doc, r), 'x'))
  })

  it('cyclonedx xml (parser a dependency: a fortieth of the text iterations, full over documents)', () => {
    const fixture = read('sbom/testdata/bom.xml')
    fuzz(fixture.length, fixture, text(parseCycloneDx), {
      mayThrow: true,
      iterations: Math.ceil(ITERATIONS / 40),
    })
    const json = read('sbom/testdata/app.cdx.json')
    const doc = JSON.parse(json.toString('utf8'))
    const r = rng(7)
    for (let i = 0; i < ITERATIONS; i++) {
      const m = mutateDoc(doc, r)
      if (m && typeof m === 'object' && !Array.isArray(m))
        wellFormed(cycloneDxComponents(m as Record<string, unknown>, 'x'))
    }
  })

  it('go pointer format (with an address map that bounds-checks)', () => {
    const b = read('golang/testdata/go-pointer.exe')
    // A map that sends every address somewhere in the file (or past it) stresses the reads.
    fuzz(99, b, (m) => findGoBuildInfo(m, (va) => Number(va % BigInt(m.length + 64))), {
      mayThrow: false,
    })
  })

  it('go build info window (aligned search from a section start)', () => {
    const b = read('golang/testdata/go-inline.elf')
    const start = b.indexOf(BUILDINFO_MAGIC)
    fuzz(1812, b, (m) => findGoBuildInfoIn(m, start, (va) => Number(va % BigInt(m.length + 64))), {
      mayThrow: false,
    })
  })

  it('Go cataloger: section and writable-data lookup over mutated ELF, PE and Mach-O', async () => {
    // Each input is laid out by the ELF, PE or Mach-O parser first (sections, entropy): a tenth
    // of the iterations keeps this within seconds; the search itself is fuzzed above.
    const r = rng(1813)
    const files = ['go-inline.elf', 'go-pointer.exe', 'go-inline.macho']
    for (const file of files) {
      const src = read(`golang/testdata/${file}`)
      const type = sniffType(src)
      for (let i = 0; i < Math.ceil(ITERATIONS / 10 / files.length); i++) {
        const problems: Problem[] = []
        const a = memArtifact(file, mutate(src, r), { type })
        wellFormed(await goBinaryCataloger.catalog(a, artifactContext(problems)))
        // The only problem it may report is a header it could not follow; anything else is a throw.
        for (const p of problems)
          if (!p.message.startsWith('pre-Go 1.18')) throw new Error(`${file}: ${p.message}`)
      }
    }
  })

  it('RPM header blobs', () => {
    const db = openSqliteBytes(read('rpm/testdata/rpmdb.sqlite'))
    const blobs = [...db.prepare('SELECT blob FROM Packages').iterate()].map((r) =>
      Buffer.from(r.blob as Uint8Array),
    )
    db.close()
    for (const [i, blob] of blobs.entries())
      fuzz(1000 + i, blob, (b) => parseRpmHeader(b), { mayThrow: false })
  })

  it('rpmdb.sqlite files', () => {
    // SQLite itself rejects most corrupt images with an Error; fewer iterations (each opens a db).
    fuzz(4242, read('rpm/testdata/rpmdb.sqlite'), (b) => parseRpmdbSqlite(b, 'x'), {
      mayThrow: true,
      iterations: Math.min(ITERATIONS, 300),
    })
  })
})
