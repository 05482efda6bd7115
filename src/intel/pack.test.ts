import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUNDLED_PACK, loadIntel } from './load.js'
import { buildPack, citationUrl } from './pack.js'

const root = join(import.meta.dirname, '..', '..')

describe('bundled pack', () => {
  it('is exactly what the build script makes from intel/source (run `npm run intel:build`)', async () => {
    const fresh = await buildPack(join(root, 'intel', 'source'))
    expect(await readFile(BUNDLED_PACK, 'utf8')).toBe(fresh)
  })

  it('names campaign and actor for the 3CX ffmpeg.dll hash, with a citable source', async () => {
    const { intel, problems } = await loadIntel({ storeDir: false, maxAgeDays: 0 })
    expect(problems).toEqual([])
    expect(intel.sources).toEqual([
      {
        source: 'vigil-pack',
        version: '2026.11.26',
        date: '2026-11-26',
        records: intel.records.length,
      },
    ])
    const [hit] = intel.lookupHash(
      'sha256',
      '7986bbaee8940da11ce089383521ab420c443ab7b15ed42aed91fd31ce833896',
    )
    expect(hit).toMatchObject({
      severity: 'critical',
      confidence: 'high',
      campaign: '3CX SmoothOperator',
      actor: 'Labyrinth Chollima / UNC4736',
      platform: 'windows',
    })
    expect(hit!.references.some((r) => r.startsWith('https://'))).toBe(true)
    expect(
      intel.matchUrl('https://raw.githubusercontent.com/IconStorages/images/main/icon7.ico'),
    ).toHaveLength(1)
    expect(intel.matchDomain('www.akamaicontainer.com')[0]?.severity).toBe('high')
  })

  it('grades [S]/[U] values below blocking severity and never lists the benign SUNBURST test builds', async () => {
    const { intel } = await loadIntel({ storeDir: false, maxAgeDays: 0 })
    for (const r of intel.records) {
      if ((r.kind === 'file' || r.kind === 'network') && r.confidence !== 'high') {
        expect(['medium', 'low', 'info']).toContain(r.severity)
      }
    }
    expect(intel.matchDomain('cdn.polyfill.io')[0]).toMatchObject({
      confidence: 'medium',
      severity: 'medium',
    })
    expect(
      intel.lookupHash(
        'sha256',
        'a25cadd48d70f6ea0c4a241d99c5241269e6faccb4054e62d16784640f8e53bc',
      ),
    ).toEqual([])
    expect(intel.matchDomain('gist.githubusercontent.com')).toEqual([])
  })

  it('carries the vendor advisory for 3CX per platform with the fixed version', async () => {
    const { intel } = await loadIntel({ storeDir: false, maxAgeDays: 0 })
    const adv = intel.advisories.find((a) => a.id === 'VIGIL-2023-3CX-DESKTOPAPP')!
    expect(adv.osv.aliases).toEqual(['CVE-2023-29059'])
    const [win, mac] = adv.osv.affected!
    expect(win).toMatchObject({
      package: { ecosystem: 'Vendor', name: '3cx/3cx-desktop-app' },
      versions: ['18.12.407', '18.12.416'],
      ecosystem_specific: { platform: 'windows' },
      database_specific: { fixed: '18.12.425' },
    })
    expect(mac!.versions).toEqual(['18.11.1213', '18.12.402', '18.12.407', '18.12.416'])
    const ids = intel.advisories.map((a) => a.id)
    for (const id of [
      'MAL-2023-8697',
      'MAL-2025-20690',
      'GHSA-mh6f-8j2x-4483',
      'GHSA-pjwm-rvh2-c87w',
      'VIGIL-2024-XZ-UTILS',
    ]) {
      expect(ids).toContain(id)
    }
  })

  it('turns GitHub citations into URLs', () => {
    expect(
      citationUrl('github:volexity/threat-intel@f8e75890:2023/2023-03-30 3CX/indicators/iocs.csv'),
    ).toBe(
      'https://github.com/volexity/threat-intel/blob/f8e75890/2023/2023-03-30%203CX/indicators/iocs.csv',
    )
  })
})
