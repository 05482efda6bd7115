import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** A trusted Ed25519 public key and its short id (first 16 hex of SHA-256 over the SPKI DER). */
export interface TrustedKey {
  id: string
  key: KeyObject
  /** Where it was configured, for messages. */
  origin: string
}

export function keyId(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(der).digest('hex').slice(0, 16)
}

/** Reads a PEM public key (or the public half of a PEM private key); Ed25519 only. */
export function parsePublicKey(pem: string, origin: string): TrustedKey {
  const key = createPublicKey(pem)
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${origin}: not an Ed25519 key (${key.asymmetricKeyType})`)
  }
  return { id: keyId(key), key, origin }
}

/** Keys from `<store>/keys/*.pem|*.pub` plus the given files. */
export async function loadTrustedKeys(
  storeDir: string,
  files: readonly string[] = [],
): Promise<TrustedKey[]> {
  const paths = [...files]
  try {
    const dir = join(storeDir, 'keys')
    for (const name of (await readdir(dir)).sort()) {
      if (name.endsWith('.pem') || name.endsWith('.pub')) paths.push(join(dir, name))
    }
  } catch {
    // no keys directory: only the given files
  }
  const keys: TrustedKey[] = []
  for (const p of paths) keys.push(parsePublicKey(await readFile(p, 'utf8'), p))
  return keys
}

/** A detached signature file: base64 text of the 64-byte signature, or the raw 64 bytes. */
export function decodeSignature(bytes: Buffer): Buffer | undefined {
  if (bytes.length === 64) return bytes
  const text = bytes.toString('utf8').trim()
  if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) return undefined
  const sig = Buffer.from(text.replace(/\s+/g, ''), 'base64')
  return sig.length === 64 ? sig : undefined
}

/** The id of the trusted key that signed `data`, or undefined when none did. */
export function verifyDetached(
  data: Buffer,
  signature: Buffer,
  keys: readonly TrustedKey[],
): string | undefined {
  const sig = decodeSignature(signature)
  if (!sig) return undefined
  for (const k of keys) if (verify(null, data, k.key, sig)) return k.id
  return undefined
}

/** Base64 detached signature over `data` with a PEM Ed25519 private key. */
export function signDetached(data: Buffer, privatePem: string): string {
  return `${sign(null, data, privatePem).toString('base64')}\n`
}

export function generateSigningKey(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  }
}
