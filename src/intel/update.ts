import { readFile } from 'node:fs/promises'
import { readVigil } from './importers/vigil-ndjson.js'
import { type TrustedKey, verifyDetached } from './signing.js'
import { commitStore, currentVersion, type StoreManifest } from './store.js'

/** Largest bundle or signature accepted by `vigil intel update`. */
export const MAX_BUNDLE_BYTES = 1024 * 1024 * 1024

export class UpdateRefused extends Error {
  override name = 'UpdateRefused'
}

/** Reads a local path or fetches an http(s) URL: the one network access in Vigil. */
export async function fetchBytes(
  from: string,
  maxBytes = MAX_BUNDLE_BYTES,
): Promise<Buffer | undefined> {
  if (/^https?:\/\//i.test(from)) {
    const res = await fetch(from, { redirect: 'follow' })
    if (res.status === 404) return undefined
    if (!res.ok) throw new Error(`${from}: HTTP ${res.status} ${res.statusText}`)
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of res.body ?? []) {
      size += (chunk as Uint8Array).length
      if (size > maxBytes) throw new Error(`${from}: larger than ${maxBytes} bytes`)
      chunks.push(Buffer.from(chunk as Uint8Array))
    }
    return Buffer.concat(chunks)
  }
  try {
    return await readFile(from.replace(/^file:\/\//, ''))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

export interface UpdateOptions {
  storeDir: string
  /** Bundle path or URL (Vigil NDJSON). */
  from: string
  /** Detached signature path or URL; default `<from>.sig`. */
  signature?: string
  keys: readonly TrustedKey[]
  allowUnsigned?: boolean
  /** Accept a bundle dated before the installed version of the same source. */
  allowDowngrade?: boolean
}

export interface UpdateResult {
  manifest: StoreManifest
  source: string
  version: string
  records: number
  signedBy?: string
}

/**
 * Verifies a signed bundle and installs it as a new store version, replacing the source of the
 * same name. Nothing is written before the bundle, its signature and every record are checked; the
 * switch is atomic and the previous version stays as last known good.
 */
export async function updateStore(opts: UpdateOptions): Promise<UpdateResult> {
  const data = await fetchBytes(opts.from)
  if (!data) throw new UpdateRefused(`${opts.from}: not found`)
  const sigFrom = opts.signature ?? `${opts.from}.sig`
  const sig = await fetchBytes(sigFrom, 4096)
  let signedBy: string | undefined
  if (sig) {
    if (opts.keys.length === 0) {
      throw new UpdateRefused(
        'no trusted public keys configured: put Ed25519 PEM keys in <store>/keys or pass --key',
      )
    }
    signedBy = verifyDetached(data, sig, opts.keys)
    if (!signedBy) {
      throw new UpdateRefused(
        `${opts.from}: the signature ${sigFrom} does not verify with any of ${opts.keys.length} trusted key(s): the bundle was altered or signed by an unknown key; nothing was changed`,
      )
    }
  } else if (!opts.allowUnsigned) {
    throw new UpdateRefused(
      `${opts.from}: unsigned bundle (no ${sigFrom}) refused; pass --allow-unsigned to accept it`,
    )
  }
  const { header, records: plain, batches } = readVigil(data.toString('utf8'), opts.from)
  const records = { length: plain.length + batches.reduce((n, b) => n + b.count, 0) }
  const live = await currentVersion(opts.storeDir)
  const installed = live?.manifest.sources.find((s) => s.source === header.source)
  if (installed?.date && header.date && header.date < installed.date && !opts.allowDowngrade) {
    throw new UpdateRefused(
      `${opts.from}: '${header.source}' ${header.version} (${header.date}) is older than the installed ${installed.version} (${installed.date}); pass --allow-downgrade to install it`,
    )
  }
  const { vigilIntel: _, ...info } = header
  const manifest = await commitStore(opts.storeDir, {
    add: [
      {
        info: { ...info, records: records.length },
        format: 'vigil',
        data,
        ...(sig && signedBy ? { signature: { data: sig, keyId: signedBy } } : {}),
        origin: opts.from,
      },
    ],
  })
  return {
    manifest,
    source: header.source,
    version: header.version,
    records: records.length,
    ...(signedBy ? { signedBy } : {}),
  }
}
