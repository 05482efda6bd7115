import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { memArtifact, runCatalogers } from '../testing.js'
import { cargoAuditableCataloger, inflateDepV0, parseAuditableJson } from './cargo-auditable.js'

const testdata = join(import.meta.dirname, 'testdata')

describe('cargo auditable', () => {
  it.each(['auditable.elf', 'auditable.exe', 'auditable.macho'])('%s', async (file) => {
    const a = memArtifact(`bin/${file}`, readFileSync(join(testdata, file)))
    const { components, problems } = await runCatalogers([cargoAuditableCataloger], [a])
    expect(problems).toEqual([])
    expect(components.map((c) => `${c.purl} ${c.metadata?.source} ${c.metadata?.kind}`)).toEqual([
      'pkg:cargo/cc@1.0.79 crates.io build',
      'pkg:cargo/hello-auditable@0.1.0 local runtime',
      'pkg:cargo/serde@1.0.150 crates.io runtime',
      'pkg:cargo/smallvec@1.6.0 crates.io runtime',
    ])
    expect(components.find((c) => c.name === 'hello-auditable')?.metadata?.root).toBe(true)
    expect(
      components.every((c) => c.ecosystem === 'cargo' && c.locations[0] === `bin/${file}`),
    ).toBe(true)
  })

  it('a zlib bomb is capped', () => {
    const bomb = deflateSync(Buffer.alloc(64 << 20, 0x20))
    expect(() => inflateDepV0(bomb)).toThrow()
  })

  it('JSON without packages is an error the cataloger turns into a problem', () => {
    expect(() => parseAuditableJson('{"x":1}', 'a')).toThrow(/packages/)
  })

  it('binaries without the section yield nothing', async () => {
    const go = readFileSync(join(import.meta.dirname, '../golang/testdata/go-inline.elf'))
    const { components, problems } = await runCatalogers(
      [cargoAuditableCataloger],
      [memArtifact('x', go)],
    )
    expect(components).toEqual([])
    expect(problems).toEqual([])
  })
})
