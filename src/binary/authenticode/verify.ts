import * as asn1js from 'asn1js'
import { anomaly } from '../pe/layout.js'
import type { Anomaly, PeFile } from '../pe/types.js'
import { buildChain, certificateInfo, EMPTY_TRUST_STORE, type TrustStore } from './certificates.js'
import { attributeValues, contentBytes, findSignerCertificate, parseSignedData } from './cms.js'
import { authenticodeImageHash } from './image-hash.js'
import { digestName, OID } from './oids.js'
import { checkSignerInfo, hexView, signingTime } from './signer.js'
import { timestampsOf } from './timestamps.js'
import type { AuthenticodeResult, AuthenticodeSignature, SignatureState } from './types.js'

const WIN_CERT_TYPE_PKCS_SIGNED_DATA = 2
const MAX_SIGNATURES = 8

export interface AuthenticodeOptions {
  trustStore?: TrustStore
}

/**
 * Verifies the Authenticode signatures of a parsed PE: image digest, signer signature, chain
 * against the trust store, timestamps, nested signatures. Pure; never throws on input bytes.
 */
export function verifyAuthenticode(
  bytes: Uint8Array,
  pe: PeFile,
  options: AuthenticodeOptions = {},
): AuthenticodeResult {
  const anomalies: Anomaly[] = []
  const entries = pe.certificateTable?.entries ?? []
  if (entries.length === 0) {
    const state = pe.certificateTable ? 'malformed' : 'unsigned'
    return { state, signatures: [], anomalies }
  }
  if (entries.length > 1) anomaly(anomalies, 'several-certificate-entries', `${entries.length}`)
  const entry = entries[0]!
  if (entry.type !== WIN_CERT_TYPE_PKCS_SIGNED_DATA || entry.derLength === undefined) {
    anomaly(anomalies, 'certificate-entry-not-pkcs7', `type ${entry.type}`, entry.offset)
    return { state: 'malformed', signatures: [], anomalies }
  }
  const der = bytes.subarray(entry.offset + 8, entry.offset + 8 + entry.derLength)
  const ctx: Ctx = { bytes, pe, store: options.trustStore ?? EMPTY_TRUST_STORE, out: [] }
  collect(ctx, der, false)
  return { state: ctx.out[0]?.state ?? 'malformed', signatures: ctx.out, anomalies }
}

interface Ctx {
  bytes: Uint8Array
  pe: PeFile
  store: TrustStore
  out: AuthenticodeSignature[]
}

function collect(ctx: Ctx, der: Uint8Array, nested: boolean): void {
  if (ctx.out.length >= MAX_SIGNATURES) return
  const sig: AuthenticodeSignature = {
    index: ctx.out.length,
    nested,
    state: 'malformed',
    signatureVerified: false,
    chain: [],
    trusted: false,
    timestamps: [],
    problems: [],
  }
  ctx.out.push(sig)
  const nestedDers: Uint8Array[] = []
  try {
    verifyOne(ctx, der, sig, nestedDers)
  } catch (e) {
    // pkijs and asn1js reject bad structure by throwing Error; a TypeError or RangeError from
    // here is a bug in this module, kept visible for the fuzz test.
    sig.state = 'malformed'
    const kind = e instanceof TypeError || e instanceof RangeError ? 'internal error' : 'malformed'
    sig.problems.push(`${kind}: ${e instanceof Error ? e.message : String(e)}`)
  }
  for (const n of nestedDers) collect(ctx, n, true)
}

function verifyOne(ctx: Ctx, der: Uint8Array, sig: AuthenticodeSignature, nested: Uint8Array[]) {
  const parsed = parseSignedData(der)
  if (typeof parsed === 'string') return void sig.problems.push(parsed)
  if (parsed.contentType !== OID.spcIndirectData || !parsed.content) {
    return void sig.problems.push(`content ${parsed.contentType} is not SpcIndirectDataContent`)
  }
  const digestInfo = spcDigest(parsed.content)
  if (!digestInfo) return void sig.problems.push('SpcIndirectDataContent has no digest')
  sig.digestAlgorithm = digestInfo.algorithm
  sig.signedDigest = digestInfo.digest
  sig.computedDigest = authenticodeImageHash(ctx.bytes, ctx.pe, digestInfo.algorithm)
  const si = parsed.signedData.signerInfos[0]
  if (parsed.signedData.signerInfos.length !== 1) sig.problems.push('not exactly one SignerInfo')
  const cert = si && findSignerCertificate(si, parsed.certificates)
  if (!si || !cert) return void sig.problems.push('signer certificate not in the signature')
  sig.signer = certificateInfo(cert.x509)
  const time = signingTime(si)
  if (time) sig.signingTime = time
  const check = checkSignerInfo(si, cert.x509, contentBytes(parsed.content))
  sig.signatureVerified = check.digestMatches && check.signatureValid
  sig.problems.push(...check.problems)
  const chain = buildChain(
    cert.x509,
    parsed.certificates.map((c) => c.x509),
    ctx.store,
  )
  sig.chain = chain.chain.map(certificateInfo)
  sig.trusted = chain.trusted
  if (chain.anchor) sig.trustAnchor = certificateInfo(chain.anchor).sha256
  sig.timestamps = timestampsOf(si, parsed.certificates)
  for (const v of attributeValues(si.unsignedAttrs, OID.nestedSignature)) {
    const raw = (v as { valueBeforeDecodeView?: Uint8Array }).valueBeforeDecodeView
    if (raw) nested.push(raw)
  }
  sig.state = stateOf(sig)
}

function stateOf(sig: AuthenticodeSignature): SignatureState {
  if (!sig.signatureVerified) return 'bad-signature'
  if (sig.signedDigest !== sig.computedDigest) return 'digest-mismatch'
  return sig.trusted ? 'valid' : 'valid-untrusted-root'
}

/** SpcIndirectDataContent ::= SEQUENCE { data, messageDigest DigestInfo }. */
function spcDigest(content: asn1js.AsnType): { algorithm: string; digest: string } | undefined {
  if (!(content instanceof asn1js.Sequence)) return undefined
  const digestInfo = content.valueBlock.value[1]
  if (!(digestInfo instanceof asn1js.Sequence)) return undefined
  const [alg, value] = digestInfo.valueBlock.value
  if (!(alg instanceof asn1js.Sequence) || !(value instanceof asn1js.OctetString)) return undefined
  const oid = alg.valueBlock.value[0]
  if (!(oid instanceof asn1js.ObjectIdentifier)) return undefined
  const algorithm = digestName(oid.valueBlock.toString())
  if (!algorithm) return undefined
  return { algorithm, digest: hexView(value.valueBlock.valueHexView) }
}
