import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fsArtifact, runCatalogers, walkFiles } from '../testing.js'
import { cleanVersion } from './version-string.js'
import { groupDirectory, type PeFileIdentity, windowsAppCataloger } from './windows-app.js'

const testdata = join(import.meta.dirname, 'testdata')
const appDir = (v: string) => {
  const dir = join(testdata, `3cx-${v}`)
  return walkFiles(dir, () => true).map((f) => fsArtifact(testdata, f))
}

describe('windows-app', () => {
  it('groups a 3CX look-alike directory under its main executable', async () => {
    const { components, problems } = await runCatalogers([windowsAppCataloger], appDir('18.12.416'))
    expect(problems).toEqual([])
    expect(components).toHaveLength(1)
    const app = components[0]!
    expect(app).toMatchObject({
      name: '3CX Desktop App',
      version: '18.12.416',
      ecosystem: 'windows-app',
      vendor: '3cx',
      product: '3cx-desktop-app',
      purl: 'pkg:generic/3cx/3cx-desktop-app@18.12.416',
      locations: ['3cx-18.12.416/3CXDesktopApp.exe'],
      foundBy: 'windows-app',
      metadata: {
        platform: 'windows',
        mainExecutable: '3cx-18.12.416/3CXDesktopApp.exe',
        companyName: '3CX Ltd',
        fileVersion: '18.12.416',
      },
    })
    const files = app.metadata?.files as Record<string, unknown>[]
    expect(files.map((f) => f.path)).toEqual([
      '3cx-18.12.416/3CXDesktopApp.exe',
      '3cx-18.12.416/d3dcompiler_47.dll',
      '3cx-18.12.416/ffmpeg.dll',
    ])
    expect(files[1]).toMatchObject({
      company: 'Microsoft Corporation',
      vendor: 'microsoft',
      product: 'microsoft-windows-operating-system',
      version: '10.0.19041.1',
      sameProduct: false,
    })
    expect(files[2]).toMatchObject({ sameProduct: false })
    expect(files[2]).not.toHaveProperty('vendor')
    expect(files[0]).toMatchObject({ sameProduct: true })
  })

  it('reads the fixed release the same way', async () => {
    const { components } = await runCatalogers([windowsAppCataloger], appDir('18.12.425'))
    expect(components.map((c) => c.purl)).toEqual(['pkg:generic/3cx/3cx-desktop-app@18.12.425'])
  })

  it('a directory of DLLs only yields one component per identity', async () => {
    const dlls = appDir('18.12.416').filter((a) => a.name.endsWith('.dll'))
    const { components } = await runCatalogers([windowsAppCataloger], dlls)
    expect(components.map((c) => `${c.vendor}/${c.product}@${c.version}`)).toEqual([
      'microsoft/microsoft-windows-operating-system@10.0.19041.1',
    ])
  })

  const f = (p: Partial<PeFileIdentity> & { path: string }): PeFileIdentity => ({
    fileName: p.path.split('/').pop()!,
    isDll: false,
    size: 1000,
    sha256: '0'.repeat(64),
    ...p,
  })
  const acme = {
    company: 'Acme Corp',
    productName: 'Acme Studio',
    vendor: 'acme',
    product: 'acme-studio',
    version: '2.1.0',
  }

  it('picks the EXE named like the product over a larger helper of the same product', () => {
    const [c] = groupDirectory([
      f({ path: 'a/Update.exe', size: 9000, ...acme }),
      f({ path: 'a/AcmeStudio.exe', size: 100, ...acme }),
      f({ path: 'a/acme-core.dll', isDll: true, ...acme }),
    ])
    expect(c?.metadata?.mainExecutable).toBe('a/AcmeStudio.exe')
    expect(c?.locations).toEqual(['a/AcmeStudio.exe', 'a/Update.exe'])
  })

  it('the primary product is the one most files share; a bundled tool keeps its own component', () => {
    const other = {
      company: 'Other GmbH',
      productName: 'Helper',
      vendor: 'other',
      product: 'helper',
      version: '1.0',
    }
    const cs = groupDirectory([
      f({ path: 'a/helper.exe', size: 99999, ...other }),
      f({ path: 'a/studio.exe', ...acme }),
      f({ path: 'a/x.dll', isDll: true, ...acme }),
    ])
    expect(cs.map((c) => c.product)).toEqual(['acme-studio', 'helper'])
    expect(cs[0]?.metadata?.files).toHaveLength(2)
    expect(cs[1]?.metadata?.files).toBeUndefined()
  })

  it('cleans version strings', () => {
    expect(cleanVersion('18.12.416.0')).toBe('18.12.416')
    expect(cleanVersion('18, 12, 416, 0')).toBe('18.12.416')
    expect(cleanVersion('10.0.19041.1 (WinBuild.160101.0800)')).toBe('10.0.19041.1')
    expect(cleanVersion('v5.72')).toBe('5.72')
    expect(cleanVersion('none')).toBeUndefined()
  })
})
