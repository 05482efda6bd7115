import { createHash } from 'node:crypto'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { certificateInfo, isoDate } from './certificates.js'
import {
  attributeValues,
  type BagCertificate,
  contentBytes,
  findSignerCertificate,
  parseSignedData,
} from './cms.js'
import { digestName, OID } from './oids.js'
import { checkSignerInfo, hexView, signingTime } from './signer.js'
import type { TimestampInfo } from './types.js'

/** Legacy Authenticode counter-signatures and RFC 3161 timestamps on a primary SignerInfo. */
export function timestampsOf(
  si: pkijs.SignerInfo,
  bag: readonly BagCertificate[],
): TimestampInfo[] {
  const signature = si.signature.valueBlock.valueHexView
  const out: TimestampInfo[] = []
  for (const v of attributeValues(si.unsignedAttrs, OID.counterSignature)) {
    out.push(counterSignature(v, signature, bag))
  }
  for (const v of attributeValues(si.unsignedAttrs, OID.rfc3161Timestamp)) {
    out.push(rfc3161(v, signature))
  }
  return out
}

function counterSignature(
  value: unknown,
  signature: Uint8Array,
  bag: readonly BagCertificate[],
): TimestampInfo {
  const ts: TimestampInfo = { kind: 'authenticode-countersignature', valid: false, problems: [] }
  try {
    const csi = new pkijs.SignerInfo({ schema: value })
    const time = signingTime(csi)
    if (time) ts.time = time
    const cert = findSignerCertificate(csi, bag)
    if (!cert) {
      ts.problems.push('counter-signer certificate not in the signature')
      return ts
    }
    ts.signer = certificateInfo(cert.x509)
    const check = checkSignerInfo(csi, cert.x509, signature)
    ts.valid = check.digestMatches && check.signatureValid
    ts.problems.push(...check.problems)
  } catch (e) {
    ts.problems.push(`counter-signature: ${e instanceof Error ? e.message : String(e)}`)
  }
  return ts
}

function rfc3161(value: unknown, signature: Uint8Array): TimestampInfo {
  const ts: TimestampInfo = { kind: 'rfc3161', valid: false, problems: [] }
  const der = (value as { valueBeforeDecodeView?: Uint8Array }).valueBeforeDecodeView
  const parsed = der ? parseSignedData(der) : 'no timestamp token'
  if (typeof parsed === 'string') {
    ts.problems.push(parsed)
    return ts
  }
  const content = parsed.content
  if (parsed.contentType !== OID.tstInfo || !(content instanceof asn1js.OctetString)) {
    ts.problems.push('timestamp token does not hold a TSTInfo')
    return ts
  }
  try {
    const tstBytes = octets(content)
    const tst = pkijs.TSTInfo.fromBER(tstBytes)
    ts.time = isoDate(tst.genTime)
    const hash = digestName(tst.messageImprint.hashAlgorithm.algorithmId)
    const imprint = hexView(tst.messageImprint.hashedMessage.valueBlock.valueHexView)
    const covers =
      hash !== undefined && createHash(hash).update(signature).digest('hex') === imprint
    if (!covers) ts.problems.push('timestamp imprint does not match the signature it stamps')
    const tsi = parsed.signedData.signerInfos[0]
    const cert = tsi && findSignerCertificate(tsi, parsed.certificates)
    if (!tsi || !cert) {
      ts.problems.push('timestamp signer certificate not found')
      return ts
    }
    ts.signer = certificateInfo(cert.x509)
    const check = checkSignerInfo(tsi, cert.x509, tstBytes)
    ts.problems.push(...check.problems)
    ts.valid = covers && check.digestMatches && check.signatureValid
  } catch (e) {
    ts.problems.push(`timestamp: ${e instanceof Error ? e.message : String(e)}`)
  }
  return ts
}

/** Octets of an OCTET STRING, primitive or constructed. */
function octets(os: asn1js.OctetString): Uint8Array {
  if (!os.idBlock.isConstructed) return os.valueBlock.valueHexView
  return contentBytes(os).length > 0 ? Buffer.from(os.getValue()) : new Uint8Array()
}
