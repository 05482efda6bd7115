import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../cli/main.js'
import type { Report } from '../core/types.js'

const PE = new URL('../../scripts/fixtures/pe/', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'vigil-trust-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function states(extra: string[]): Promise<string[]> {
  const out = join(dir, `r${Math.random().toString(36).slice(2)}.json`)
  const args = ['scan', join(PE, 'out', 'app'), '--quiet', '--format', 'json', '-o', out]
  const code = await main([...args, '--cache-dir', join(dir, 'cache'), ...extra])
  expect(code).toBe(0)
  const r = JSON.parse(readFileSync(out, 'utf8')) as Report
  return (r.binaries ?? []).map((b) => `${b.path}=${b.signature}`).sort()
}

describe('--trust-store', () => {
  it('makes chains to the named roots trusted, and the scan cache follows the setting', async () => {
    const saved = process.env.VIGIL_TRUST_STORE
    delete process.env.VIGIL_TRUST_STORE
    try {
      expect(await states([])).toEqual([
        'VigilApp.exe=valid-untrusted-root',
        'helper.dll=valid-untrusted-root',
      ])
      expect(await states(['--trust-store', join(PE, 'trust')])).toEqual([
        'VigilApp.exe=valid',
        'helper.dll=valid',
      ])
      expect(await states([])).toEqual([
        'VigilApp.exe=valid-untrusted-root',
        'helper.dll=valid-untrusted-root',
      ])
    } finally {
      if (saved !== undefined) process.env.VIGIL_TRUST_STORE = saved
    }
  })
})
