import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fsArtifact, memArtifact, nameVersions, runCatalogers, walkFiles } from '../testing.js'
import { isInstalledPackageJson, nodeModulesCataloger } from './node-modules.js'
import { packageLockCataloger } from './package-lock.js'
import { pnpmLockCataloger } from './pnpm-lock.js'
import { yarnLockCataloger } from './yarn-lock.js'

const here = (f: string) => join(import.meta.dirname, 'testdata', f)
const fixture = (f: string, as: string) => memArtifact(as, readFileSync(here(f)))

describe('package-lock.json', () => {
  it('v1: nested dependencies, aliases, dev flags', async () => {
    const { components } = await runCatalogers(
      [packageLockCataloger],
      [fixture('lock-v1.json', 'app/package-lock.json')],
    )
    expect(nameVersions(components)).toEqual([
      '@types/node@20.11.5',
      'debug@2.6.9',
      'lodash@4.17.21',
      'ms@2.0.0',
      'ms@2.1.3',
    ])
    const types = components.find((c) => c.name === '@types/node')!
    expect(types.purl).toBe('pkg:npm/%40types/node@20.11.5')
    expect(types.metadata).toMatchObject({ dev: true })
    expect(types.locations).toEqual(['app/package-lock.json'])
    expect(types.foundBy).toBe('npm-package-lock')
  })

  it('v2: packages map wins; root, links and workspace folders skipped; aliases resolved', async () => {
    const { components } = await runCatalogers(
      [packageLockCataloger],
      [fixture('lock-v2.json', 'package-lock.json')],
    )
    expect(nameVersions(components)).toEqual([
      '@types/node@20.11.5',
      'debug@2.6.9',
      'fsevents@2.3.3',
      'lodash@4.17.21',
      'ms@2.0.0',
      'ms@2.1.3',
    ])
    expect(components.find((c) => c.name === 'fsevents')?.metadata).toMatchObject({
      optional: true,
    })
  })

  it('v3: the project lockfile lists what npm installed', async () => {
    const root = join(import.meta.dirname, '../../..')
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
    expect(lock.lockfileVersion).toBe(3)
    const { components } = await runCatalogers(
      [packageLockCataloger],
      [fsArtifact(root, join(root, 'package-lock.json'))],
    )
    const expected = Object.entries(
      lock.packages as Record<string, { version?: string; name?: string; link?: boolean }>,
    )
      .filter(([k, v]) => k.includes('node_modules/') && v.version && !v.link)
      .map(([k, v]) => `${v.name ?? k.slice(k.lastIndexOf('node_modules/') + 13)}@${v.version}`)
    expect(nameVersions(components)).toEqual([...new Set(expected)].sort())
    expect(components.length).toBeGreaterThan(50)
  })

  it('bad JSON is a problem, not a crash', async () => {
    const { components, problems } = await runCatalogers(
      [packageLockCataloger],
      [memArtifact('package-lock.json', '{"packages": ')],
    )
    expect(components).toEqual([])
    expect(problems[0]).toMatchObject({
      stage: 'catalog:npm-package-lock',
      path: 'package-lock.json',
    })
  })
})

describe('yarn.lock', () => {
  it('classic v1', async () => {
    const { components } = await runCatalogers(
      [yarnLockCataloger],
      [fixture('yarn-v1.lock', 'yarn.lock')],
    )
    expect(nameVersions(components)).toEqual([
      '@babel/code-frame@7.12.13',
      'debug@2.6.9',
      'lodash@4.17.21',
      'ms@2.0.0',
    ])
  })

  it('berry: resolutions, workspace and patch entries skipped', async () => {
    const { components } = await runCatalogers(
      [yarnLockCataloger],
      [fixture('yarn-berry.lock', 'yarn.lock')],
    )
    expect(nameVersions(components)).toEqual([
      '@babel/code-frame@7.12.13',
      'debug@2.6.9',
      'lodash@4.17.21',
      'resolve@1.22.8',
    ])
  })
})

describe('pnpm-lock.yaml', () => {
  it.each([
    ['pnpm-v5.yaml', ['@types/node@20.11.5', 'debug@2.6.9', 'ms@2.0.0', 'react-dom@18.2.0']],
    ['pnpm-v6.yaml', ['@types/node@20.11.5', 'react-dom@18.2.0', 'react@18.2.0', 'tool@0.3.1']],
    ['pnpm-v9.yaml', ['@types/node@20.11.5', 'react-dom@18.2.0', 'react@18.2.0']],
  ])('%s', async (file, expected) => {
    const { components } = await runCatalogers(
      [pnpmLockCataloger],
      [fixture(file, 'pnpm-lock.yaml')],
    )
    expect(nameVersions(components)).toEqual(expected)
    expect(components.every((c) => c.purl.startsWith('pkg:npm/'))).toBe(true)
  })
})

describe('installed node_modules', () => {
  it('recognises only real installs', () => {
    expect(isInstalledPackageJson('node_modules/a/package.json')).toBe(true)
    expect(isInstalledPackageJson('x/node_modules/@s/a/package.json')).toBe(true)
    expect(isInstalledPackageJson('node_modules/a/node_modules/@s/b/package.json')).toBe(true)
    expect(isInstalledPackageJson('app.asar!/node_modules/a/package.json')).toBe(true)
    expect(isInstalledPackageJson('node_modules/a/esm/package.json')).toBe(false)
    expect(isInstalledPackageJson('node_modules/a/test/fixtures/node_modules/b/package.json')).toBe(
      false,
    )
    expect(isInstalledPackageJson('node_modules/.bin/package.json')).toBe(false)
    expect(isInstalledPackageJson('node_modules/@s/package.json')).toBe(false)
    expect(isInstalledPackageJson('package.json')).toBe(false)
    expect(isInstalledPackageJson('my_node_modules/a/package.json')).toBe(false)
    expect(
      isInstalledPackageJson('node_modules/.pnpm/@s+a@1.0.0/node_modules/@s/a/package.json'),
    ).toBe(true)
    expect(isInstalledPackageJson('node_modules/.pnpm/node_modules/a/package.json')).toBe(false)
    expect(isInstalledPackageJson('node_modules/.pnpm/lock.yaml/package.json')).toBe(false)
  })

  /**
   * Agreement with `npm ls --all --json` on the project's own node_modules. Rule: every
   * name@version in npm's tree that has a version (entries without one are optional
   * dependencies not installed on this platform); deduped and extraneous entries are installed
   * packages, so they count. The sets must be equal.
   */
  it('agrees with npm ls --all --json on the project node_modules', async () => {
    const root = join(import.meta.dirname, '../../..')
    const tree = JSON.parse(
      execFileSync('npm', ['ls', '--all', '--json'], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      }),
    )
    const expected = new Set<string>()
    const visit = (
      deps: Record<string, { version?: string; dependencies?: object }> | undefined,
    ): void => {
      for (const [name, d] of Object.entries(deps ?? {})) {
        if (d.version) expected.add(`${name}@${d.version}`)
        visit(d.dependencies as never)
      }
    }
    visit(tree.dependencies)
    const files = walkFiles(join(root, 'node_modules'), (p) => p.endsWith('/package.json'))
    const artifacts = files.map((f) => fsArtifact(root, f))
    const { components, problems } = await runCatalogers([nodeModulesCataloger], artifacts)
    expect(problems).toEqual([])
    expect(expected.size).toBeGreaterThan(50)
    expect(nameVersions(components)).toEqual([...expected].sort())
  })
})
