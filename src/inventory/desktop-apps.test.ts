import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { electronAppCataloger, userAgentVersion } from './electron/electron-app.js'
import { companyFromNotice } from './identity.js'
import { macosAppCataloger } from './macos/app-bundle.js'
import { artifactContext, fsArtifact, memArtifact, runCatalogers, walkFiles } from './testing.js'

const here = import.meta.dirname
const macRoot = join(here, 'macos/testdata')
const macFiles = () => walkFiles(macRoot, () => true).map((f) => fsArtifact(macRoot, f))
const pkg = (version: string) =>
  JSON.stringify({
    name: '3cx-desktop-app',
    productName: '3CX Desktop App',
    version,
    author: '3CX Ltd <x@example.invalid>',
  })

describe('macOS app bundles', () => {
  it('reads the app (XML plist), its framework (binary plist) and folds the helper app', async () => {
    const { components, problems } = await runCatalogers([macosAppCataloger], macFiles())
    expect(problems).toEqual([])
    expect(components.map((c) => `${c.purl} ${c.name}`)).toEqual([
      'pkg:generic/3cx/3cx-desktop-app@18.12.416 3CX Desktop App',
      'pkg:generic/electron-framework/electron-framework@19.1.9 Electron Framework',
    ])
    const app = components[0]!
    expect(app).toMatchObject({
      ecosystem: 'macos-app',
      vendor: '3cx',
      product: '3cx-desktop-app',
      foundBy: 'macos-app-bundle',
      locations: ['3CX Desktop App.app/Contents/Info.plist'],
      metadata: {
        platform: 'macos',
        bundleIdentifier: 'com.electron.3cx-desktop-app',
        shortVersion: '18.12.416',
        plistFormat: 'xml',
        helpers: [{ name: '3CX Desktop App Helper', version: '18.12.416' }],
      },
    })
    expect(components[1]?.metadata).toMatchObject({
      plistFormat: 'binary',
      bundleKind: 'framework',
    })
  })

  it('finds the company in the copyright line', () => {
    expect(companyFromNotice('Copyright © 2019-2023 3CX Ltd. All rights reserved.')).toBe('3CX Ltd')
    expect(companyFromNotice('(c) 2021, Acme Inc')).toBe('Acme Inc')
    expect(companyFromNotice('©')).toBeUndefined()
    expect(companyFromNotice('MingW-W64-project. All rights reserved.')).toBe('MingW-W64-project')
    expect(companyFromNotice('3CX Ltd')).toBe('3CX Ltd')
  })

  it('an unreadable Info.plist is a problem', async () => {
    const { components, problems } = await runCatalogers(
      [macosAppCataloger],
      [memArtifact('X.app/Contents/Info.plist', '<plist><dict><key>')],
    )
    expect(components).toEqual([])
    expect(problems).toHaveLength(1)
  })
})

describe('Electron apps', () => {
  it('macOS: app.asar package.json + Electron Framework plist', async () => {
    const arts = [
      ...macFiles(),
      memArtifact(
        '3CX Desktop App.app/Contents/Resources/app.asar!/package.json',
        pkg('18.12.416'),
      ),
    ]
    const { components } = await runCatalogers([electronAppCataloger], arts)
    expect(components.map((c) => `${c.ecosystem} ${c.purl}`)).toEqual([
      'electron pkg:generic/3cx/3cx-desktop-app@18.12.416',
      'npm pkg:npm/electron@19.1.9',
    ])
    expect(components[0]?.metadata).toMatchObject({
      platform: 'macos',
      electronVersion: '19.1.9',
      root: '3CX Desktop App.app',
    })
    expect(components[1]?.metadata).toMatchObject({
      runtime: true,
      source: 'Electron Framework Info.plist',
    })
  })

  it('Windows: resources/app.asar package.json + the user-agent string in the EXE', async () => {
    const root = join(here, 'windows/testdata')
    const arts = [
      ...walkFiles(join(root, '3cx-18.12.416'), () => true).map((f) => fsArtifact(root, f)),
      memArtifact('3cx-18.12.416/resources/app.asar!/package.json', pkg('18.12.416')),
    ]
    const { components } = await runCatalogers([electronAppCataloger], arts)
    expect(components.map((c) => `${c.ecosystem} ${c.purl} ${c.metadata?.platform}`)).toEqual([
      'electron pkg:generic/3cx/3cx-desktop-app@18.12.416 windows',
      'npm pkg:npm/electron@19.1.9 windows',
    ])
    expect(components[1]?.locations).toEqual(['3cx-18.12.416/3CXDesktopApp.exe'])
  })

  it('Linux: resources/app/package.json + version file', async () => {
    const root = join(here, 'electron/testdata/linux')
    const arts = walkFiles(root, () => true).map((f) => fsArtifact(root, f))
    const { components } = await runCatalogers([electronAppCataloger], arts)
    expect(components.map((c) => `${c.purl} ${c.metadata?.platform}`)).toEqual([
      'pkg:generic/3cx/3cx-desktop-app@18.12.416 linux',
      'pkg:npm/electron@19.1.9 linux',
    ])
    expect(components[1]?.metadata?.source).toBe('version file')
  })

  it('a stray version file or dependency package.json is not an app', async () => {
    const { components } = await runCatalogers(
      [electronAppCataloger],
      [
        memArtifact('tools/version', '1.2.3\n'),
        memArtifact('app/node_modules/x/package.json', pkg('1.0.0')),
      ],
    )
    expect(components).toEqual([])
  })

  it('finds the user-agent version past other mentions of Electron/', () => {
    const b = Buffer.from(
      'x Electron/%s y ... Mozilla/5.0 Chrome/120.0.6099.291 Electron/28.3.3 Safari/537.36',
    )
    expect(userAgentVersion(b)).toBe('28.3.3')
    expect(userAgentVersion(Buffer.from('Electron/ only'))).toBeUndefined()
  })

  it('a binary on disk with no resources/ beside it is not read; one with it is', async () => {
    const elf = readFileSync(join(here, 'electron/testdata/linux/3cx-desktop-app/3cx-desktop-app'))
    // resourcesBeside comes from the walk (src/scan/cache.test.ts runs it through a real tree).
    const run = async (path: string, resourcesBeside?: boolean) => {
      const a = memArtifact(path, elf, {
        fsPath: `/x/${path}`,
        ...(resourcesBeside !== undefined && { resourcesBeside }),
      })
      let reads = 0
      const counted = {
        ...a,
        bytes: () => {
          reads++
          return a.bytes()
        },
      }
      const cs = await electronAppCataloger.catalog(counted, artifactContext())
      return { reads, versions: cs.map((c) => c.version) }
    }
    expect(electronAppCataloger.wants(memArtifact('usr/bin/big-tool', elf))).toBe(true)
    expect(await run('usr/bin/big-tool', false)).toEqual({ reads: 0, versions: [] })
    expect(await run('opt/app/app', true)).toEqual({ reads: 1, versions: ['19.1.9'] })
    // An archive member's siblings are unknown to the cataloger: it is searched.
    expect(await run('release.zip!/app')).toEqual({ reads: 1, versions: ['19.1.9'] })
  })

  it('real fixture bytes: the asar archive carries the package.json', () => {
    const asar = readFileSync(join(here, 'windows/testdata/3cx-18.12.416/resources/app.asar'))
    expect(asar.includes('"productName": "3CX Desktop App"')).toBe(true)
  })
})
