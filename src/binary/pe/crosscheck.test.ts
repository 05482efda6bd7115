/**
 * Agreement with tools no one here wrote: llvm-readobj (sections, imports incl. delay-load,
 * exports) and YARA's pe.imphash(), on every PE fixture and the Windows PEs found on this machine.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parsePe } from './parse.js'
import { PE_FIXTURES, peFixtureNames, readPeFixture, realPeFiles } from './testing.js'
import type { PeFile } from './types.js'

const have = (tool: string, arg: string) => spawnSync(tool, [arg]).status === 0
const haveReadobj = have('llvm-readobj', '--version')
const haveYara = have('yara', '--version')

const fixtureFiles = peFixtureNames().map((n) => join(PE_FIXTURES, n))
const realFiles = realPeFiles()
const corpus = [...fixtureFiles, ...realFiles]

interface Listing {
  sections: string[]
  imports: string[]
  exports: string[]
}

/** One line per fact, so a difference shows exactly what disagrees. */
function fromReadobj(file: string): Listing {
  const out = spawnSync('llvm-readobj', ['--sections', '--coff-imports', '--coff-exports', file], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  }).stdout
  const listing: Listing = { sections: [], imports: [], exports: [] }
  const st = { dll: '', delay: false, block: '', fields: {} as Record<string, string> }
  for (const line of out.split('\n')) {
    const t = line.trim()
    if (line === 'Import {' || line === 'DelayImport {') st.delay = line !== 'Import {'
    if (line === '  Section {' || line === 'Export {') {
      st.block = t
      st.fields = {}
      continue
    }
    const kv = /^(\w+): ?(.*)$/.exec(t)
    if (!kv) continue
    const [, key, value = ''] = kv
    if (key === 'Name' && !st.block) st.dll = value
    else if (key === 'Symbol') {
      const sym = /^(.*) \((\d+)\)$/.exec(value)
      const name = sym?.[1] || `#${sym?.[2]}`
      listing.imports.push(`${st.delay ? 'delay ' : ''}${st.dll.toLowerCase()}!${name}`)
    } else if (st.block) {
      st.fields[key!] = key === 'Name' ? value.replace(/ \([0-9A-F ]*\)$/, '') : value
      endOfBlock(listing, st, key!)
    }
  }
  return listing
}

function endOfBlock(
  listing: Listing,
  st: { block: string; fields: Record<string, string> },
  key: string,
) {
  const f = st.fields
  const n = (k: string) => Number(f[k])
  if (st.block === 'Section {' && key === 'PointerToRawData') {
    listing.sections.push(
      `${f.Name} va=${n('VirtualAddress')} vs=${n('VirtualSize')} raw=${n('PointerToRawData')}+${n('RawDataSize')}`,
    )
    st.block = ''
  } else if (st.block === 'Export {' && key === 'RVA') {
    listing.exports.push(`${f.Ordinal} ${f.Name ?? ''} ${n('RVA')}`)
    st.block = ''
  }
}

function fromVigil(pe: PeFile): Listing {
  return {
    sections: pe.sections.map(
      (s) => `${s.name} va=${s.virtualAddress} vs=${s.virtualSize} raw=${s.rawOffset}+${s.rawSize}`,
    ),
    imports: pe.imports.flatMap((i) =>
      i.functions.map(
        (f) => `${i.delayLoad ? 'delay ' : ''}${i.dll.toLowerCase()}!${f.name ?? `#${f.ordinal}`}`,
      ),
    ),
    exports: (pe.exports?.functions ?? [])
      .filter((f) => !f.forwarder)
      .map((f) => `${f.ordinal} ${f.name ?? ''} ${f.rva}`),
  }
}

describe.skipIf(!haveReadobj)('agreement with llvm-readobj', () => {
  it('has a corpus of fixtures and, where present, real PEs', () => {
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(10)
  })
  for (const file of corpus) {
    it(file.startsWith(PE_FIXTURES) ? basename(file) : file, () => {
      const pe = parsePe(readFileSync(file))!
      const ours = fromVigil(pe)
      const theirs = fromReadobj(file)
      expect(ours.sections).toEqual(theirs.sections)
      expect(ours.imports).toEqual(theirs.imports)
      expect(ours.exports).toEqual(theirs.exports)
    })
  }
})

describe.skipIf(!haveYara)("agreement with YARA's pe.imphash()", () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-imphash-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  for (const file of corpus) {
    const pe = parsePe(readFileSync(file))!
    if (!pe.imphash) continue
    it(file.startsWith(PE_FIXTURES) ? basename(file) : file, () => {
      const rule = join(dir, 'imphash.yar')
      writeFileSync(rule, `import "pe"\nrule same { condition: pe.imphash() == "${pe.imphash}" }\n`)
      const run = spawnSync('yara', [rule, file], { encoding: 'utf8' })
      expect(run.stdout.trim().split(' ')[0]).toBe('same')
    })
  }
  it('covers the fixtures', () => {
    expect(readPeFixture('delay-load.exe').length).toBeGreaterThan(0)
  })
})
