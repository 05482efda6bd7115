import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { memArtifact, runCatalogers } from '../testing.js'
import { depsJsonCataloger } from './deps-json.js'

describe('.NET deps.json', () => {
  it('lists NuGet packages, not the app projects', async () => {
    const a = memArtifact(
      'app/VigilFixtureApp.deps.json',
      readFileSync(join(import.meta.dirname, 'testdata/VigilFixtureApp.deps.json')),
    )
    const { components, problems } = await runCatalogers([depsJsonCataloger], [a])
    expect(problems).toEqual([])
    expect(components.map((c) => `${c.ecosystem} ${c.purl}`)).toEqual([
      'nuget pkg:nuget/Newtonsoft.Json@13.0.1',
      'nuget pkg:nuget/Serilog@3.1.1',
    ])
    expect(components[0]?.metadata?.sha512).toMatch(/^sha512-/)
  })

  it('other JSON is nothing; broken JSON a problem', async () => {
    const { components, problems } = await runCatalogers(
      [depsJsonCataloger],
      [
        memArtifact('x.deps.json', '{"libraries": []}'),
        memArtifact('y.deps.json', '{"libraries": '),
      ],
    )
    expect(components).toEqual([])
    expect(problems).toHaveLength(1)
  })
})
