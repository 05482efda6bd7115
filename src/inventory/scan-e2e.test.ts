import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildIntel } from '../intel/build-index.js'
import { scan } from '../scan/scan.js'

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
})
