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
}

/** Parses a DER ContentInfo holding SignedData; a string says why it could not. */
export function parseSignedData(der: Uint8Array): ParsedSignedData | string {
  const copy = Uint8Array.from(der)
  const asn = asn1js.fromBER(copy)
  if (asn.offset === -1) return `ASN.1: ${asn.result.error}`
  try {
    // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }, read by hand: a
    // pkijs ContentInfo would walk the whole tree once more.
    const root = asn.result
    const [type, wrapper] = root instanceof asn1js.Sequence ? root.valueBlock.value : []
    const contentType = type instanceof asn1js.ObjectIdentifier ? type.valueBlock.toString() : '?'
    if (contentType !== OID.signedData) return `content type ${contentType}, not SignedData`
    const content = wrapper instanceof asn1js.Constructed ? wrapper.valueBlock.value[0] : undefined
    if (!content) return 'ContentInfo without content'
    const signedData = new pkijs.SignedData({ schema: content })
    const parsed: ParsedSignedData = {
      signedData,
      contentType: signedData.encapContentInfo.eContentType,
      certificates: bagCertificates(content),
    }
    const eContent = signedData.encapContentInfo.eContent
    if (eContent) parsed.content = eContent
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
      out.push({ der, x509: x509Of(der) })
    } catch {
      // attribute certificates and other formats are not signers
    }
  }
  return out
}

const x509Cache = new Map<string, X509Certificate>()

/** Parsed certificates by DER: one vendor's certificates repeat across a scan's files. */
function x509Of(der: Uint8Array): X509Certificate {
  const key = Buffer.from(der).toString('base64')
  let cert = x509Cache.get(key)
  if (!cert) {
    cert = new X509Certificate(der)
    if (x509Cache.size >= 256) x509Cache.delete(x509Cache.keys().next().value!)
    x509Cache.set(key, cert)
  }
  return cert
}

/** The bag certificate a SignerInfo names (issuer + serial, or subject key identifier). */
export function findSignerCertificate(
  si: pkijs.SignerInfo,
  bag: readonly BagCertificate[],
): BagCertificate | undefined {
  const sid = si.sid as unknown
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const issuer = hexOf({ valueHexView: new Uint8Array(sid.issuer.valueBeforeDecode) })
    const serial = hexOf(sid.serialNumber.valueBlock)
    return bag.find((c) => {
      const id = issuerAndSerial(c.der)
      return id?.issuer === issuer && id.serial === serial
    })
  }
  if (sid instanceof asn1js.Constructed || sid instanceof asn1js.Primitive) {
    const want = hexOf(sid.valueBlock)
    return bag.find((c) => subjectKeyIdentifier(c.der) === want)
  }
  return undefined
}

function subjectKeyIdentifier(der: Uint8Array): string | undefined {
  try {
    const ext = pkijs.Certificate.fromBER(der).extensions?.find(
      (e) => e.extnID === OID.subjectKeyIdentifier,
    )
    const ski = ext?.parsedValue
    return ski instanceof asn1js.OctetString ? hexOf(ski.valueBlock) : undefined
  } catch {
    return undefined
  }
}

/**
 * Issuer Name (whole TLV) and serial number (content octets) of a DER certificate, read directly:
 * Certificate ::= SEQUENCE { tbs SEQUENCE { [0] version OPTIONAL, serial, signature, issuer … } }.
 */
export function issuerAndSerial(der: Uint8Array): { issuer: string; serial: string } | undefined {
  const cert = tlv(der, 0)
  const tbs = cert && tlv(der, cert.content)
  if (!tbs) return undefined
  let at = tbs.content
  const first = tlv(der, at)
  if (first && der[at] === 0xa0) at = first.end
  const serial = tlv(der, at)
  const alg = serial && tlv(der, serial.end)
  const issuer = alg && tlv(der, alg.end)
  if (!serial || !issuer) return undefined
  return {
    serial: Buffer.from(der.subarray(serial.content, serial.end)).toString('hex'),
    issuer: Buffer.from(der.subarray(alg.end, issuer.end)).toString('hex'),
  }
}

/** Bounds of one definite-length DER element at `at`. */
function tlv(b: Uint8Array, at: number): { content: number; end: number } | undefined {
  if (at + 2 > b.length) return undefined
  const first = b[at + 1]!
  let len = first
  let content = at + 2
  if (first & 0x80) {
    const n = first & 0x7f
    if (n === 0 || n > 4 || at + 2 + n > b.length) return undefined
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + b[at + 2 + i]!
    content += n
  }
  const end = content + len
  return end <= b.length ? { content, end } : undefined
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
