import { createHash, verify, type X509Certificate } from 'node:crypto'
import * as asn1js from 'asn1js'
import type * as pkijs from 'pkijs'
import { attributeValues } from './cms.js'
import { digestName, OID } from './oids.js'

export interface SignerCheck {
  /** messageDigest equals the hash of the signed content. */
  digestMatches: boolean
  /** The signer's signature over the authenticated attributes verifies with its certificate. */
  signatureValid: boolean
  problems: string[]
}

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1'
const EC_PUBLIC_KEY = '1.2.840.10045.2.1'

/**
 * Checks one SignerInfo: its messageDigest attribute against `content`, and its signature over
 * the DER of the authenticated attributes (re-tagged as SET OF, as CMS prescribes).
 */
export function checkSignerInfo(
  si: pkijs.SignerInfo,
  cert: X509Certificate,
  content: Uint8Array,
): SignerCheck {
  const problems: string[] = []
  const hash = digestName(si.digestAlgorithm.algorithmId)
  if (!hash) return fail(`unsupported digest algorithm ${si.digestAlgorithm.algorithmId}`)
  if (!si.signedAttrs) return fail('no authenticated attributes')
  const md = attributeValues(si.signedAttrs, OID.messageDigest)[0]
  const expected = md instanceof asn1js.OctetString ? hexView(md.valueBlock.valueHexView) : ''
  const actual = createHash(hash).update(content).digest('hex')
  const digestMatches = expected === actual
  if (!digestMatches) problems.push(`messageDigest ${expected || 'missing'} ≠ ${actual}`)
  const signed = new Uint8Array(si.signedAttrs.encodedValue.slice(0))
  signed[0] = 0x31
  const sigAlg = si.signatureAlgorithm.algorithmId
  const sigHash = sigAlg === RSA_ENCRYPTION || sigAlg === EC_PUBLIC_KEY ? hash : digestName(sigAlg)
  let signatureValid = false
  if (!sigHash) problems.push(`unsupported signature algorithm ${sigAlg}`)
  else {
    try {
      signatureValid = verify(sigHash, signed, cert.publicKey, si.signature.valueBlock.valueHexView)
    } catch (e) {
      problems.push(`signature check failed: ${e instanceof Error ? e.message : String(e)}`)
    }
    if (!signatureValid)
      problems.push('signature over the authenticated attributes does not verify')
  }
  return { digestMatches, signatureValid, problems }

  function fail(message: string): SignerCheck {
    return { digestMatches: false, signatureValid: false, problems: [message] }
  }
}

/** signingTime attribute (UTCTime or GeneralizedTime) as ISO 8601. */
export function signingTime(si: pkijs.SignerInfo): string | undefined {
  const v = attributeValues(si.signedAttrs, OID.signingTime)[0]
  if (v instanceof asn1js.UTCTime || v instanceof asn1js.GeneralizedTime) {
    const d = v.toDate()
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
  }
  return undefined
}

export function hexView(v: Uint8Array): string {
  return Buffer.from(v).toString('hex')
}
