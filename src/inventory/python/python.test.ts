import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fsArtifact, memArtifact, nameVersions, runCatalogers, walkFiles } from '../testing.js'
import { isCoreMetadataPath, pythonInstalledCataloger } from './core-metadata.js'
import { poetryLockCataloger } from './poetry-lock.js'
import { canonicalName } from './pypi-component.js'
import { requirementsCataloger } from './requirements.js'
import { uvLockCataloger } from './uv-lock.js'

const testdata = join(import.meta.dirname, 'testdata')
const fixture = (f: string, as = f) => memArtifact(as, readFileSync(join(testdata, f)))

describe('installed distributions', () => {
  it('reads dist-info METADATA and egg-info PKG-INFO', async () => {
    const root = join(testdata, 'site-packages')
    const files = walkFiles(root, () => true).map((f) => fsArtifact(root, f))
    const { components } = await runCatalogers([pythonInstalledCataloger], files)
    expect(nameVersions(components)).toEqual(['crcmod@1.7', 'six@1.17.0'])
    const six = components.find((c) => c.name === 'six')!
    expect(six).toMatchObject({
      ecosystem: 'pypi',
      purl: 'pkg:pypi/six@1.17.0',
      locations: ['six-1.17.0.dist-info/METADATA'],
      foundBy: 'python-installed',
    })
  })

  it('recognises metadata paths', () => {
    expect(isCoreMetadataPath('lib/x-1.0.dist-info/METADATA')).toBe(true)
    expect(isCoreMetadataPath('x.egg-info/PKG-INFO')).toBe(true)
    expect(isCoreMetadataPath('x-1.0-py3.8.egg/EGG-INFO/PKG-INFO')).toBe(true)
    expect(isCoreMetadataPath('site-packages/distro-1.0.egg-info')).toBe(true)
    expect(isCoreMetadataPath('docs/METADATA')).toBe(false)
    expect(isCoreMetadataPath('sdist/PKG-INFO')).toBe(false)
  })

  it('normalises the purl name but keeps the declared name', async () => {
    const text = 'Metadata-Version: 2.1\nName: Flask_SQLAlchemy\nVersion: 3.0.5\n\nName: not-this\n'
    const { components } = await runCatalogers(
      [pythonInstalledCataloger],
      [memArtifact('a/Flask_SQLAlchemy-3.0.5.dist-info/METADATA', text)],
    )
    expect(components).toHaveLength(1)
    expect(components[0]).toMatchObject({
      name: 'Flask_SQLAlchemy',
      purl: 'pkg:pypi/flask-sqlalchemy@3.0.5',
    })
  })

  const sitePackages = [
    '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages',
    '/usr/lib/python3/dist-packages',
  ].filter((d) => existsSync(d) && readdirSync(d).some((n) => n.endsWith('.dist-info')))

  /** Agreement with `pip list --format json --path DIR`: equal sets of canonical-name@version. */
  it.skipIf(sitePackages.length === 0).each(sitePackages)(
    'agrees with pip list on %s',
    async (dir) => {
      const pip = JSON.parse(
        execFileSync('python3', ['-m', 'pip', 'list', '--format', 'json', '--path', dir], {
          encoding: 'utf8',
          maxBuffer: 64 << 20,
        }),
      ) as { name: string; version: string }[]
      const expected = [...new Set(pip.map((p) => `${canonicalName(p.name)}@${p.version}`))].sort()
      // Only the top level of site-packages holds distributions' metadata.
      const files: string[] = []
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name)
        if (e.isDirectory() && e.name.endsWith('.dist-info')) files.push(join(p, 'METADATA'))
        else if (e.isDirectory() && e.name.endsWith('.egg-info')) files.push(join(p, 'PKG-INFO'))
        else if (e.isFile() && e.name.endsWith('.egg-info')) files.push(p)
      }
      const artifacts = files.filter(existsSync).map((f) => fsArtifact(dir, f))
      const { components, problems } = await runCatalogers([pythonInstalledCataloger], artifacts)
      expect(problems).toEqual([])
      expect(expected.length).toBeGreaterThan(5)
      const got = [
        ...new Set(components.map((c) => `${canonicalName(c.name)}@${c.version}`)),
      ].sort()
      expect(got).toEqual(expected)
    },
  )
})

describe('lock and requirements files', () => {
  it('poetry.lock', async () => {
    const { components } = await runCatalogers([poetryLockCataloger], [fixture('poetry.lock')])
    expect(nameVersions(components)).toEqual([
      'Django@4.2.11',
      'certifi@2024.2.2',
      'charset-normalizer@3.3.2',
      'pytest@8.1.1',
    ])
    expect(components.find((c) => c.name === 'Django')).toMatchObject({
      purl: 'pkg:pypi/django@4.2.11',
      metadata: { optional: true },
    })
  })

  it('uv.lock skips the editable project', async () => {
    const { components } = await runCatalogers([uvLockCataloger], [fixture('uv.lock')])
    expect(nameVersions(components)).toEqual(['anyio@4.3.0', 'idna@3.6', 'sniffio@1.3.1'])
  })

  it('requirements: == and === pins only', async () => {
    const { components } = await runCatalogers(
      [requirementsCataloger],
      [fixture('requirements-test.txt')],
    )
    expect(nameVersions(components)).toEqual([
      'Flask_SQLAlchemy@3.0.5',
      'cryptography@35.0.0',
      'pytest@6.2.5',
      'requests@2.31.0',
      'zope.interface@5.4.0',
    ])
    expect(components.find((c) => c.name === 'requests')?.metadata).toEqual({ line: 7 })
  })

  it('requirements/ directories count too', () => {
    expect(requirementsCataloger.wants(memArtifact('requirements/prod.txt', ''))).toBe(true)
    expect(requirementsCataloger.wants(memArtifact('docs/notes.txt', ''))).toBe(false)
  })

  it('malformed TOML is a problem', async () => {
    const { components, problems } = await runCatalogers(
      [poetryLockCataloger],
      [memArtifact('poetry.lock', '[[package]\nname=')],
    )
    expect(components).toEqual([])
    expect(problems).toHaveLength(1)
  })
})
