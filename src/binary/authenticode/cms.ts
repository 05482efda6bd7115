import { X509Certificate } from 'node:crypto'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { OID } from './oids.js'

/** A CMS SignedData with its certificate bag kept as the exact DER bytes it carried. */
export interface ParsedSignedData {
  signedData: pkijs.SignedData
  contentType: string
  /** The encapsulated content as parsed ASN.1 (SpcIndirectDataContent, TSTInfo octets …). */
  content?: asn1js.AsnType
  certificates: BagCertificate[]
}

export interface BagCertificate {
  der: Uint8Array
  x509: X509Certificate
  pkijs: pkijs.Certificate
}

/** Parses a DER ContentInfo holding SignedData; a string says why it could not. */
export function parseSignedData(der: Uint8Array): ParsedSignedData | string {
  const copy = Uint8Array.from(der)
  const asn = asn1js.fromBER(copy)
  if (asn.offset === -1) return `ASN.1: ${asn.result.error}`
  try {
    const info = new pkijs.ContentInfo({ schema: asn.result })
    if (info.contentType !== OID.signedData)
      return `content type ${info.contentType}, not SignedData`
    const signedData = new pkijs.SignedData({ schema: info.content })
    const parsed: ParsedSignedData = {
      signedData,
      contentType: signedData.encapContentInfo.eContentType,
      certificates: bagCertificates(info.content),
    }
    const content = signedData.encapContentInfo.eContent
    if (content) parsed.content = content
    return parsed
  } catch (e) {
    return `CMS: ${e instanceof Error ? e.message : String(e)}`
  }
}

/** The `[0] IMPLICIT CertificateSet` of SignedData, each certificate from its own bytes. */
function bagCertificates(signedDataAsn: unknown): BagCertificate[] {
  const out: BagCertificate[] = []
  if (!(signedDataAsn instanceof asn1js.Sequence)) return out
  const set = signedDataAsn.valueBlock.value.find(
    (v) => v.idBlock.tagClass === 3 && v.idBlock.tagNumber === 0,
  )
  if (!(set instanceof asn1js.Constructed)) return out
  for (const item of set.valueBlock.value) {
    const der = item.valueBeforeDecodeView
    try {
      out.push({ der, x509: new X509Certificate(der), pkijs: pkijs.Certificate.fromBER(der) })
    } catch {
      // attribute certificates and other formats are not signers
    }
  }
  return out
}

/** The bag certificate a SignerInfo names (issuer + serial, or subject key identifier). */
export function findSignerCertificate(
  si: pkijs.SignerInfo,
  bag: readonly BagCertificate[],
): BagCertificate | undefined {
  const sid = si.sid as unknown
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return bag.find(
      (c) => c.pkijs.issuer.isEqual(sid.issuer) && c.pkijs.serialNumber.isEqual(sid.serialNumber),
    )
  }
  if (sid instanceof asn1js.Constructed || sid instanceof asn1js.Primitive) {
    const want = hexOf(sid.valueBlock)
    return bag.find((c) => {
      const ext = c.pkijs.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier)
      const ski = ext?.parsedValue
      return ski instanceof asn1js.OctetString && hexOf(ski.valueBlock) === want
    })
  }
  return undefined
}

function hexOf(block: unknown): string {
  const view = (block as { valueHexView?: Uint8Array }).valueHexView
  return view ? Buffer.from(view).toString('hex') : ''
}

/** Value bytes (without tag and length) of a parsed ASN.1 element. */
export function contentBytes(el: asn1js.AsnType): Uint8Array {
  const tlv = (el as { valueBeforeDecodeView: Uint8Array }).valueBeforeDecodeView
  return tlv.subarray(headerLength(tlv))
}

export function headerLength(tlv: Uint8Array): number {
  const first = tlv[1] ?? 0
  return first & 0x80 ? 2 + (first & 0x7f) : 2
}

/** Attribute values of a given type in signed or unsigned attributes. */
export function attributeValues(
  attrs: pkijs.SignedAndUnsignedAttributes | undefined,
  type: string,
): unknown[] {
  return attrs?.attributes.filter((a) => a.type === type).flatMap((a) => a.values) ?? []
}
