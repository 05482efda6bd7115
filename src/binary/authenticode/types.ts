import type { Anomaly } from '../pe/types.js'

/** Overall Authenticode verdict; "valid, untrusted root" is a state, not an error. */
export type SignatureState =
  | 'unsigned'
  | 'valid'
  | 'valid-untrusted-root'
  | 'digest-mismatch'
  | 'bad-signature'
  | 'malformed'

export interface CertificateInfo {
  subject: string
  issuer: string
  /** Common name, else organisation, of the subject: the human-readable signer. */
  name: string
  serialNumber: string
  sha1: string
  sha256: string
  notBefore: string
  notAfter: string
  selfSigned: boolean
}

export interface TimestampInfo {
  kind: 'rfc3161' | 'authenticode-countersignature'
  /** ISO 8601 time the timestamp authority vouches for. */
  time?: string
  signer?: CertificateInfo
  /** The timestamp's own signature checks and it covers this signature's value. */
  valid: boolean
  problems: string[]
}

export interface AuthenticodeSignature {
  /** 0 = primary; nested signatures follow in order. */
  index: number
  nested: boolean
  state: SignatureState
  digestAlgorithm?: string
  /** Image digest the signature carries (SpcIndirectDataContent). */
  signedDigest?: string
  /** Image digest computed over this file. */
  computedDigest?: string
  /** messageDigest attribute matches the signed content and the signer's signature verifies. */
  signatureVerified: boolean
  signer?: CertificateInfo
  /** Signer first, up to the last certificate found (root or the highest available). */
  chain: CertificateInfo[]
  trusted: boolean
  /** SHA-256 of the trust-store certificate the chain ends in, when trusted. */
  trustAnchor?: string
  signingTime?: string
  timestamps: TimestampInfo[]
  problems: string[]
}

export interface AuthenticodeResult {
  state: SignatureState
  /** Primary signature first, then the nested ones (szOID_NESTED_SIGNATURE). */
  signatures: AuthenticodeSignature[]
  anomalies: Anomaly[]
}
