import type { AuthenticodeResult, AuthenticodeSignature } from './types.js'

/** The primary signature's signer as people name it, with its state: for messages. */
export function describeSigner(result: AuthenticodeResult | undefined): string {
  const sig = result?.signatures[0]
  if (!result || result.state === 'unsigned') return 'unsigned'
  if (!sig?.signer) return `signature ${result.state}`
  return `${sig.signer.name} (${result.state})`
}

export function primarySignature(
  r: AuthenticodeResult | undefined,
): AuthenticodeSignature | undefined {
  return r?.signatures[0]
}

/** Does the primary signature still validate over the image (trusted root or not)? */
export function signatureValidates(r: AuthenticodeResult | undefined): boolean {
  return r?.state === 'valid' || r?.state === 'valid-untrusted-root'
}
