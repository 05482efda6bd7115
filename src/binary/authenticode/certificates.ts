import { X509Certificate } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CertificateInfo } from './types.js'

/** Certificates a signature chain may end in. Any certificate in the store is an anchor. */
export interface TrustStore {
  certificates: X509Certificate[]
  /** Files that could not be read as PEM/DER certificates. */
  problems: string[]
}

export const EMPTY_TRUST_STORE: TrustStore = { certificates: [], problems: [] }

const MAX_CHAIN = 10

/** Reads every PEM (or DER .cer/.crt) certificate in a directory, not recursing. */
export async function loadTrustStore(dir: string): Promise<TrustStore> {
  const store: TrustStore = { certificates: [], problems: [] }
  for (const name of (await readdir(dir)).sort()) {
    if (!/\.(pem|crt|cer)$/i.test(name)) continue
    const data = await readFile(join(dir, name))
    const found = parseCertificates(data)
    if (found.length === 0) store.problems.push(`${name}: no certificate`)
    store.certificates.push(...found)
  }
  return store
}

function parseCertificates(data: Buffer): X509Certificate[] {
  const text = data.toString('latin1')
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)
  const out: X509Certificate[] = []
  for (const der of pems ?? [data]) {
    try {
      out.push(new X509Certificate(der))
    } catch {
      // not a certificate; reported by the caller when nothing parses
    }
  }
  return out
}

export function certificateInfo(c: X509Certificate): CertificateInfo {
  return {
    subject: oneLine(c.subject),
    issuer: oneLine(c.issuer),
    name: displayName(c.subject),
    serialNumber: c.serialNumber.toLowerCase(),
    sha1: thumb(c.fingerprint),
    sha256: thumb(c.fingerprint256),
    notBefore: isoDate(c.validFrom),
    notAfter: isoDate(c.validTo),
    selfSigned: isSelfSigned(c),
  }
}

/** ISO 8601, or the text as given when it is not a date (hostile certificates). */
export function isoDate(text: string | Date): string {
  const d = text instanceof Date ? text : new Date(text)
  return Number.isNaN(d.getTime()) ? String(text) : d.toISOString()
}

/** Node prints names one attribute per line; reports want `CN=…, O=…`. */
function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ')
}

function displayName(subject: string): string {
  const attr = (key: string) =>
    subject
      .split('\n')
      .find((l) => l.startsWith(`${key}=`))
      ?.slice(key.length + 1)
  return attr('CN') ?? attr('O') ?? oneLine(subject)
}

function thumb(fp: string): string {
  return fp.replaceAll(':', '').toLowerCase()
}

function isSelfSigned(c: X509Certificate): boolean {
  return c.subject === c.issuer && safeVerify(c, c)
}

function safeVerify(c: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return c.checkIssued(issuer) && c.verify(issuer.publicKey)
  } catch {
    return false
  }
}

export interface ChainResult {
  chain: X509Certificate[]
  trusted: boolean
  anchor?: X509Certificate
}

/**
 * Builds the chain from the signer through the signature's certificate bag and the trust store,
 * checking each link's signature. Trusted when a chain member is in the store, or the last one
 * is issued by a store certificate.
 */
export function buildChain(
  signer: X509Certificate,
  bag: readonly X509Certificate[],
  store: TrustStore,
): ChainResult {
  const chain = [signer]
  const inStore = (c: X509Certificate) =>
    store.certificates.find((s) => s.fingerprint256 === c.fingerprint256)
  let current = signer
  while (chain.length < MAX_CHAIN) {
    const anchor = inStore(current)
    if (anchor) return { chain, trusted: true, anchor }
    const storeIssuer = store.certificates.find((s) => safeVerify(current, s))
    if (storeIssuer) return { chain: [...chain, storeIssuer], trusted: true, anchor: storeIssuer }
    if (isSelfSigned(current)) break
    const next = bag.find((c) => !chain.includes(c) && safeVerify(current, c))
    if (!next) break
    chain.push(next)
    current = next
  }
  return { chain, trusted: false }
}
