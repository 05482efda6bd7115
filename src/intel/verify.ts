import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readVigil } from './importers/vigil-ndjson.js'
import { type TrustedKey, verifyDetached } from './signing.js'
import { currentVersion, sha256Hex } from './store.js'

export interface VerifyLine {
  source: string
  ok: boolean
  message: string
}

/** Re-checks every source of the live store: hash, record syntax and, if signed, the signature. */
export async function verifyStore(
  storeDir: string,
  keys: readonly TrustedKey[],
): Promise<VerifyLine[]> {
  const live = await currentVersion(storeDir)
  if (!live) return []
  const out: VerifyLine[] = []
  for (const s of live.manifest.sources) {
    const path = join(live.dir, s.file)
    try {
      const data = await readFile(path)
      const hash = sha256Hex(data)
      if (hash !== s.sha256)
        throw new Error(`SHA-256 ${hash} differs from the manifest's ${s.sha256}`)
      const { records: plain, batches } = readVigil(data.toString('utf8'), path)
      const records = { length: plain.length + batches.reduce((n, b) => n + b.count, 0) }
      if (records.length !== s.records)
        throw new Error(`${records.length} records, manifest says ${s.records}`)
      let how = 'hash ok'
      if (s.signedBy) {
        const sig = await readFile(`${path}.sig`)
        const by = verifyDetached(data, sig, keys)
        if (!by)
          throw new Error(`signature by key ${s.signedBy} does not verify with the configured keys`)
        how = `hash ok, signed by key ${by}`
      }
      out.push({ source: s.source, ok: true, message: `${records.length} records, ${how}` })
    } catch (err) {
      out.push({ source: s.source, ok: false, message: (err as Error).message })
    }
  }
  return out
}
