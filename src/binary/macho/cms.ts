import { createHash } from 'node:crypto'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import type { CertificateInfo, CmsSignature } from './types.js'

const ATTR_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.11': 'OU',
  '2.5.4.10': 'O',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'E',
}
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5'
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2'

/**
 * Reads the CMS SignedData of a code signature: the embedded certificates, the signer and its team
 * identifier (the leaf's OU). Parsing only; the library may throw on hostile DER, so every error
 * becomes `error` in the result.
 */
export function parseCms(der: Uint8Array): CmsSignature {
  const key = createHash('sha256').update(der).digest('hex')
  const hit = recent.get(key)
  if (hit) return structuredClone(hit)
  const out = decodeCms(der)
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string)
  recent.set(key, out)
  return structuredClone(out)
}

/**
 * pkijs decoding costs milliseconds per blob; a universal binary's slices and repeated parses of
 * one file (fuzzing, re-scans) share the same CMS bytes, so the last few results are kept by hash.
 */
const recent = new Map<string, CmsSignature>()
const RECENT_MAX = 32

function decodeCms(der: Uint8Array): CmsSignature {
  const out: CmsSignature = { size: der.length, certificates: [] }
  try {
    const asn = asn1js.fromBER(Uint8Array.from(der))
    if (asn.offset === -1) throw new Error(`not DER: ${asn.result.error}`)
    const info = new pkijs.ContentInfo({ schema: asn.result })
    if (info.contentType !== OID_SIGNED_DATA) throw new Error(`content type ${info.contentType}`)
    const sd = new pkijs.SignedData({ schema: info.content })
    const certs = (sd.certificates ?? []).filter(
      (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
    )
    const infos = certs.map(certificateInfo)
    const signerInfo = sd.signerInfos[0]
    const signerIndex = signerInfo ? certs.findIndex((c) => isSigner(c, signerInfo)) : -1
    if (signerIndex >= 0) {
      out.signer = infos[signerIndex]!
      if (out.signer.organizationalUnit) out.teamId = out.signer.organizationalUnit
      infos.unshift(...infos.splice(signerIndex, 1))
    }
    out.certificates = infos
    const time = signerInfo?.signedAttrs?.attributes.find((a) => a.type === OID_SIGNING_TIME)
    const t = time?.values[0]
    if (t instanceof asn1js.UTCTime || t instanceof asn1js.GeneralizedTime) {
      out.signingTime = t.toDate().toISOString()
    }
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e)
  }
  return out
}

function isSigner(cert: pkijs.Certificate, signer: pkijs.SignerInfo): boolean {
  const sid = signer.sid
  if (!(sid instanceof pkijs.IssuerAndSerialNumber)) return false
  return cert.issuer.isEqual(sid.issuer) && cert.serialNumber.isEqual(sid.serialNumber)
}

export function certificateInfo(cert: pkijs.Certificate): CertificateInfo {
  const subject = attributes(cert.subject)
  const der = new Uint8Array(cert.toSchema().toBER())
  const info: CertificateInfo = {
    subject: formatName(subject),
    issuer: formatName(attributes(cert.issuer)),
    serial: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex'),
    sha256: createHash('sha256').update(der).digest('hex'),
  }
  const cn = subject.find(([k]) => k === 'CN')?.[1]
  const o = subject.find(([k]) => k === 'O')?.[1]
  const ou = subject.find(([k]) => k === 'OU')?.[1]
  if (cn) info.commonName = cn
  if (o) info.organization = o
  if (ou) info.organizationalUnit = ou
  info.notBefore = cert.notBefore.value.toISOString()
  info.notAfter = cert.notAfter.value.toISOString()
  return info
}

function attributes(name: pkijs.RelativeDistinguishedNames): [string, string][] {
  return name.typesAndValues.map((tv) => {
    const key = ATTR_NAMES[tv.type] ?? tv.type
    const block = tv.value.valueBlock as { value?: unknown }
    return [key, typeof block.value === 'string' ? block.value : '']
  })
}

function formatName(parts: [string, string][]): string {
  return parts.map(([k, v]) => `${k}=${v}`).join(', ')
}

export interface CmsVerification {
  /** The signer's signature over the CodeDirectory (and its signed attributes) checks out. */
  verified: boolean
  reason?: string
}

/**
 * Verifies a detached CMS signature over `content` (the primary CodeDirectory blob) with the
 * signer certificate it carries. Chain trust is not judged here. Never rejects.
 */
export async function verifyCms(der: Uint8Array, content: Uint8Array): Promise<CmsVerification> {
  try {
    const asn = asn1js.fromBER(Uint8Array.from(der))
    if (asn.offset === -1) return { verified: false, reason: 'CMS blob is not DER' }
    const sd = new pkijs.SignedData({
      schema: new pkijs.ContentInfo({ schema: asn.result }).content,
    })
    const data = Uint8Array.from(content).buffer
    const r = await sd.verify({ signer: 0, data, checkChain: false, extendedMode: true })
    if (r.signatureVerified === true) return { verified: true }
    return { verified: false, reason: r.message || `verification failed (code ${r.code})` }
  } catch (e) {
    const err = e as { message?: string; code?: number }
    return {
      verified: false,
      reason: err.message || `verification failed (code ${err.code ?? '?'})`,
    }
  }
}
