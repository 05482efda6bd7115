import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeVigil } from './importers/vigil-ndjson.js'
import { loadIntel } from './load.js'
import type { IntelRecord } from './records.js'
import { generateSigningKey, loadTrustedKeys, signDetached } from './signing.js'
import { currentVersion } from './store.js'
import { updateStore } from './update.js'
import { verifyStore } from './verify.js'

const tmp = () => mkdtemp(join(tmpdir(), 'vigil-update-'))

function hashRecords(n: number, seed: string): IntelRecord[] {
  const out: IntelRecord[] = []
  for (let i = 0; i < n; i++) {
    const value = createHash('sha256').update(`${seed}${i}`).digest('hex')
    out.push({
      kind: 'file',
      type: 'sha256',
      value,
      severity: 'high',
      id: `${seed}-${i}`,
      source: 'feed',
      confidence: 'high',
      references: [],
    })
  }
  return out
}

async function bundle(
  dir: string,
  name: string,
  version: string,
  date: string,
  records: IntelRecord[],
  privatePem?: string,
) {
  const path = join(dir, name)
  const data = Buffer.from(writeVigil({ source: 'feed', version, date }, records))
  await writeFile(path, data)
  if (privatePem) await writeFile(`${path}.sig`, signDetached(data, privatePem))
  return path
}

async function setup() {
  const dir = await tmp()
  const store = join(dir, 'store')
  const key = generateSigningKey()
  const pub = join(dir, 'trusted.pub')
  await writeFile(pub, key.publicPem)
  const keys = await loadTrustedKeys(store, [pub])
  return { dir, store, key, pub, keys }
}

describe('vigil intel update', () => {
  it('installs a signed bundle and keeps the previous version as last known good', async () => {
    const { dir, store, key, keys } = await setup()
    const v1 = await bundle(
      dir,
      'v1.ndjson',
      '1',
      '2026-01-01',
      hashRecords(3, 'a'),
      key.privatePem,
    )
    const v2 = await bundle(
      dir,
      'v2.ndjson',
      '2',
      '2026-02-01',
      hashRecords(5, 'b'),
      key.privatePem,
    )
    await updateStore({ storeDir: store, from: v1, keys })
    const r = await updateStore({ storeDir: store, from: v2, keys })
    expect(r).toMatchObject({ source: 'feed', version: '2', records: 5, signedBy: keys[0]!.id })
    expect(r.manifest.previous).toMatch(/^v-/)
    expect((await readdir(store)).filter((n) => n.startsWith('v-'))).toHaveLength(2)
    const { intel } = await loadIntel({ storeDir: store, bundled: false, maxAgeDays: 0 })
    expect(intel.sources).toEqual([
      { source: 'feed', version: '2', date: '2026-02-01', records: 5 },
    ])
    expect(await verifyStore(store, keys)).toEqual([
      { source: 'feed', ok: true, message: `5 records, hash ok, signed by key ${keys[0]!.id}` },
    ])
  })

  it('refuses a tampered bundle, an unknown key, an unsigned bundle and a downgrade, changing nothing', async () => {
    const { dir, store, key, keys } = await setup()
    const good = await bundle(
      dir,
      'good.ndjson',
      '2',
      '2026-02-01',
      hashRecords(2, 'c'),
      key.privatePem,
    )
    await updateStore({ storeDir: store, from: good, keys })
    const before = await currentVersion(store)

    const tampered = await bundle(
      dir,
      'tampered.ndjson',
      '3',
      '2026-03-01',
      hashRecords(2, 'd'),
      key.privatePem,
    )
    await writeFile(tampered, (await readFile(tampered, 'utf8')).replace('"high"', '"low"'))
    await expect(updateStore({ storeDir: store, from: tampered, keys })).rejects.toThrow(
      /does not verify/,
    )

    const other = generateSigningKey()
    const foreign = await bundle(
      dir,
      'foreign.ndjson',
      '3',
      '2026-03-01',
      hashRecords(2, 'e'),
      other.privatePem,
    )
    await expect(updateStore({ storeDir: store, from: foreign, keys })).rejects.toThrow(
      /does not verify with any of 1 trusted key/,
    )
    // a bad signature is refused even with --allow-unsigned
    await expect(
      updateStore({ storeDir: store, from: foreign, keys, allowUnsigned: true }),
    ).rejects.toThrow(/does not verify/)

    const unsigned = await bundle(dir, 'unsigned.ndjson', '3', '2026-03-01', hashRecords(2, 'f'))
    await expect(updateStore({ storeDir: store, from: unsigned, keys })).rejects.toThrow(
      /unsigned bundle .* refused/,
    )

    const old = await bundle(
      dir,
      'old.ndjson',
      '1',
      '2025-01-01',
      hashRecords(2, 'g'),
      key.privatePem,
    )
    await expect(updateStore({ storeDir: store, from: old, keys })).rejects.toThrow(
      /older than the installed/,
    )

    expect(await currentVersion(store)).toEqual(before)
    const r = await updateStore({ storeDir: store, from: unsigned, keys, allowUnsigned: true })
    expect(r.signedBy).toBeUndefined()
  })

  it('detects a store file altered after installation', async () => {
    const { dir, store, key, keys } = await setup()
    await updateStore({
      storeDir: store,
      from: await bundle(dir, 'b.ndjson', '1', '2026-01-01', hashRecords(2, 'h'), key.privatePem),
      keys,
    })
    const live = (await currentVersion(store))!
    const file = join(live.dir, live.manifest.sources[0]!.file)
    await writeFile(file, (await readFile(file, 'utf8')).replace('"high"', '"low"'))
    const [line] = await verifyStore(store, keys)
    expect(line!.ok).toBe(false)
    expect(line!.message).toMatch(/SHA-256 .* differs/)
  })

  it('survives being killed mid-update: the store is always the old or the new version, whole', async () => {
    const { dir, store, key, pub, keys } = await setup()
    await updateStore({
      storeDir: store,
      from: await bundle(
        dir,
        'old.ndjson',
        '1',
        '2026-01-01',
        hashRecords(10, 'i'),
        key.privatePem,
      ),
      keys,
    })
    const big = await bundle(
      dir,
      'big.ndjson',
      '2',
      '2026-02-01',
      hashRecords(150_000, 'j'),
      key.privatePem,
    )
    const child = join(import.meta.dirname, 'update-child.fixture.ts')
    const versions = async () => new Set((await readdir(store)).filter((n) => n.startsWith('v-')))
    /** Runs the child and SIGKILLs it `delayMs` after a new version directory appears (inside the write). */
    const run = (delayMs: number, known: Set<string>) =>
      new Promise<boolean>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', child, store, big, pub], {
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        let finished = false
        p.stdout.on('data', (d: Buffer) => {
          if (d.includes('done')) finished = true
        })
        const poll = setInterval(async () => {
          const now = await versions().catch(() => new Set<string>())
          if ([...now].some((n) => !known.has(n))) {
            clearInterval(poll)
            setTimeout(() => p.kill('SIGKILL'), delayMs)
          }
        }, 1)
        p.on('exit', () => {
          clearInterval(poll)
          resolve(finished)
        })
      })
    let killedInside = 0
    for (const delayMs of [0, 2, 10, 40, 150]) {
      const before = await currentVersion(store)
      const finished = await run(delayMs, await versions())
      const { intel, problems } = await loadIntel({
        storeDir: store,
        bundled: false,
        maxAgeDays: 0,
      })
      expect(problems).toEqual([])
      expect((await verifyStore(store, keys)).every((l) => l.ok)).toBe(true)
      const version = intel.sources[0]!.version
      expect(intel.records.length).toBe(version === '1' ? 10 : 150_000)
      if (!finished) {
        killedInside++
        // killed: either untouched, or (killed after the CURRENT rename) fully the new version
        if (version === '1') expect(await currentVersion(store)).toEqual(before)
      }
      if (version === '2') {
        const old = await bundle(
          dir,
          `old-${delayMs}.ndjson`,
          '1',
          '2026-01-01',
          hashRecords(10, 'i'),
          key.privatePem,
        )
        await updateStore({ storeDir: store, from: old, keys, allowDowngrade: true })
      }
    }
    expect(killedInside).toBeGreaterThan(2)
  }, 120_000)
})
