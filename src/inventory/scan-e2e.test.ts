import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadRegistered } from '../core/registered.js'
import { buildIntel } from '../intel/build-index.js'
import { scan } from '../scan/scan.js'
import { CATALOGERS } from './catalogers.js'
import { dpkgStatusCataloger } from './dpkg/dpkg-status.js'
import { nodeModulesCataloger } from './npm/node-modules.js'
import { packageLockCataloger } from './npm/package-lock.js'
import { yarnLockCataloger } from './npm/yarn-lock.js'
import { fsArtifact, nameVersions, runCatalogers, walkFiles } from './testing.js'

const here = import.meta.dirname

/** The catalogers through the real scan pipeline (walk, asar unpacking, finish()). */
describe('inventory through scan()', () => {
  it('a 3CX look-alike Windows directory', async () => {
    const report = await scan({
      paths: [join(here, 'windows/testdata/3cx-18.12.416')],
      intel: buildIntel([], []),
      detectors: [],
    })
    expect(report.problems).toEqual([])
    expect(
      report.components.map((c) => `${c.foundBy} ${c.purl} ${c.locations.join(',')}`).sort(),
    ).toEqual([
      'electron-app pkg:generic/3cx/3cx-desktop-app@18.12.416 resources/app.asar!/package.json',
      'electron-app pkg:npm/electron@19.1.9 3CXDesktopApp.exe',
      'windows-app pkg:generic/3cx/3cx-desktop-app@18.12.416 3CXDesktopApp.exe',
    ])
  })

  it('a macOS app bundle', async () => {
    const report = await scan({
      paths: [join(here, 'macos/testdata')],
      intel: buildIntel([], []),
      detectors: [],
    })
    expect(report.components.map((c) => `${c.foundBy} ${c.purl}`).sort()).toEqual([
      'electron-app pkg:generic/3cx/3cx-desktop-app@18.12.416',
      'electron-app pkg:npm/electron@19.1.9',
      'macos-app-bundle pkg:generic/3cx/3cx-desktop-app@18.12.416',
      'macos-app-bundle pkg:generic/electron-framework/electron-framework@19.1.9',
    ])
  })

  it('the project node_modules scanned as the target agrees with npm ls; dependency lockfiles ignored', async () => {
    const root = join(here, '../..')
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
    const report = await scan({
      paths: [join(root, 'node_modules')],
      intel: buildIntel([], []),
      detectors: [],
      catalogers: [nodeModulesCataloger, packageLockCataloger, yarnLockCataloger],
    })
    expect(report.components.every((c) => c.foundBy === 'npm-node-modules')).toBe(true)
    expect(nameVersions(report.components)).toEqual([...expected].sort())
  })

  it.skipIf(!existsSync('/var/lib/dpkg/status'))(
    "this machine's dpkg database scanned as a directory agrees with dpkg-query",
    async () => {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own ${Field} syntax
      const format = '${Package} ${Version}\\t${Status}\\n'
      const out = execFileSync('dpkg-query', ['-W', '-f', format], {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      })
      const expected = new Set(
        out
          .split('\n')
          .filter((l) => / ok installed$/.test(l))
          .map((l) => l.split('\t')[0]!),
      )
      const report = await scan({
        paths: ['/var/lib/dpkg'],
        intel: buildIntel([], []),
        detectors: [],
        catalogers: [dpkgStatusCataloger],
      })
      expect(new Set(report.components.map((c) => `${c.name} ${c.version}`))).toEqual(expected)
      expect(report.components.every((c) => c.locations.every((l) => l === 'status'))).toBe(true)
    },
  )

  it('components do not depend on the order files are visited (concurrency, cached rescans)', async () => {
    const files = walkFiles(here, (p) => p.includes('/testdata/')).map((f) => fsArtifact(here, f))
    const forward = await runCatalogers(await loadRegistered(CATALOGERS), files)
    const backward = await runCatalogers(await loadRegistered(CATALOGERS), [...files].reverse())
    expect(forward.components.length).toBeGreaterThan(40)
    const sorted = (cs: typeof forward.components) => cs.map((c) => JSON.stringify(c)).sort()
    expect(sorted(backward.components)).toEqual(sorted(forward.components))
  })

  it('a cached rescan gives the same components', async () => {
    const cache = { dir: join(tmpdir(), `vigil-inv-cache-${process.pid}`) }
    try {
      const run = () => scan({ paths: [here], intel: buildIntel([], []), detectors: [], cache })
      const first = await run()
      const second = await run()
      expect(second.stats.cached).toBeGreaterThan(0)
      expect(second.components).toEqual(first.components)
    } finally {
      rmSync(cache.dir, { recursive: true, force: true })
    }
  })
})
