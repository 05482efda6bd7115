import type { Artifact } from '../../core/artifact.js'
import { TRUST_STORE_ENV } from '../../core/env.js'
import { peOf } from '../pe/pe-of.js'
import { EMPTY_TRUST_STORE, loadTrustStore, type TrustStore } from './certificates.js'
import type { AuthenticodeResult } from './types.js'
import { verifyAuthenticode } from './verify.js'

const stores = new Map<string, Promise<TrustStore>>()

/** The configured trust store, loaded once per directory; an unreadable directory is empty. */
export function configuredTrustStore(dir = process.env[TRUST_STORE_ENV]): Promise<TrustStore> {
  if (!dir) return Promise.resolve(EMPTY_TRUST_STORE)
  let store = stores.get(dir)
  if (!store) {
    store = loadTrustStore(dir).catch((e: unknown) => ({
      certificates: [],
      problems: [`trust store ${dir}: ${e instanceof Error ? e.message : String(e)}`],
    }))
    stores.set(dir, store)
  }
  return store
}

/** Authenticode verdict of an artifact, shared by every detector of one scan. */
export async function authenticodeOf(
  a: Artifact,
  trustStore?: string,
): Promise<AuthenticodeResult | undefined> {
  const pe = await peOf(a)
  if (!pe) return undefined
  return a.memo('authenticode', async () =>
    verifyAuthenticode(await a.bytes(), pe, { trustStore: await configuredTrustStore(trustStore) }),
  )
}
