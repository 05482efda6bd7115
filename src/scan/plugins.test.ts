import { describe, expect, it } from 'vitest'
import { DETECTORS } from '../detectors.js'
import { CATALOGERS } from '../inventory/catalogers.js'
import { createPlugins } from './plugins.js'

describe('plugin registry', () => {
  it('names each entry as the plugin it loads, once', async () => {
    for (const list of [DETECTORS, CATALOGERS]) {
      const loaded = await Promise.all(list.map((p) => p.load()))
      expect(loaded.map((p) => p.name)).toEqual(list.map((p) => p.name))
      expect(new Set(list.map((p) => p.name)).size).toBe(list.length)
    }
  })

  it('loads only the plugins named, and fresh instances each time', async () => {
    const a = await createPlugins(['rule/yara', 'dpkg-status'])
    expect(a.detectors.map((d) => d.name)).toEqual(['rule/yara'])
    expect(a.catalogers.map((c) => c.name)).toEqual(['dpkg-status'])
    const b = await createPlugins(['rule/yara'])
    expect(b.detectors[0]).not.toBe(a.detectors[0])
    expect((await createPlugins([])).detectors).toEqual([])
    const all = await createPlugins()
    expect(all.detectors).toHaveLength(DETECTORS.length)
    expect(all.catalogers).toHaveLength(CATALOGERS.length)
  })
})
