import { execFileSync, spawnSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parsePe } from '../pe/parse.js'
import { PE_FIXTURES, PE_TRUST_DIR, peFixtureNames, readPeFixture } from '../pe/testing.js'
import { EMPTY_TRUST_STORE, loadTrustStore, type TrustStore } from './certificates.js'
import { authenticodeImageHash, imageHashRanges } from './image-hash.js'
import { verifyAuthenticode } from './verify.js'

let store: TrustStore
beforeAll(async () => {
  store = await loadTrustStore(PE_TRUST_DIR)
})

const verifyFixture = (name: string, trustStore = store) => {
  const bytes = readPeFixture(name)
  return verifyAuthenticode(bytes, parsePe(bytes)!, { trustStore })
}

describe('loadTrustStore', () => {
  it('reads PEM and DER certificates and names files that are not certificates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-trust-'))
    try {
      const pem = readFileSync(join(PE_TRUST_DIR, 'test-ca.pem'), 'utf8')
      writeFileSync(join(dir, 'a.pem'), pem)
      writeFileSync(join(dir, 'b.cer'), new X509Certificate(pem).raw)
      writeFileSync(join(dir, 'junk.crt'), 'not a certificate')
      writeFileSync(join(dir, 'notes.txt'), 'ignored')
      const s = await loadTrustStore(dir)
      expect(s.certificates).toHaveLength(2)
      expect(s.problems).toEqual(['junk.crt: no certificate'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('verifyAuthenticode', () => {
  it('finds a valid signature chained to the test root', () => {
    const r = verifyFixture('helper-signed.dll')
    expect(r.state).toBe('valid')
    const sig = r.signatures[0]!
    expect(sig.signer?.name).toBe('Vigil Test Vendor Ltd (TEST ONLY)')
    expect(sig.signer?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(sig.signer?.sha1).toMatch(/^[0-9a-f]{40}$/)
    expect(sig.chain.map((c) => c.name)).toEqual([
      'Vigil Test Vendor Ltd (TEST ONLY)',
      'Vigil Test Root CA (TEST ONLY)',
    ])
    expect(sig.signingTime).toBe('2027-01-01T00:00:00.000Z')
    expect(sig.signedDigest).toBe(sig.computedDigest)
  })

  it('reports a good signature without a known root as valid-untrusted-root', () => {
    expect(verifyFixture('helper-signed.dll', EMPTY_TRUST_STORE).state).toBe('valid-untrusted-root')
  })

  it('verifies an ECDSA P-256 / SHA-384 signature whose bag carries the whole chain', () => {
    const sig = verifyFixture('helper-ecdsa-chain.dll').signatures[0]!
    expect([sig.state, sig.digestAlgorithm, sig.signer?.name]).toEqual([
      'valid',
      'sha384',
      'Vigil Test EC Vendor (TEST ONLY)',
    ])
    expect(sig.chain.map((c) => c.selfSigned)).toEqual([false, true])
  })

  it('reports an image changed after signing as digest-mismatch', () => {
    const sig = verifyFixture('helper-tampered.dll').signatures[0]!
    expect(sig.state).toBe('digest-mismatch')
    expect(sig.signatureVerified).toBe(true)
    expect(sig.signedDigest).not.toBe(sig.computedDigest)
  })

  it('still validates the padded file (the CVE-2013-3900 behaviour)', () => {
    expect(verifyFixture('helper-padded.dll').state).toBe('valid')
  })

  it('reports unsigned files', () => {
    expect(verifyFixture('helper-unsigned.dll')).toEqual({
      state: 'unsigned',
      signatures: [],
      anomalies: [],
    })
  })

  it('reads the RFC 3161 timestamp and the nested SHA-1 signature', () => {
    const r = verifyFixture('helper-nested-ts.dll')
    expect(r.signatures.map((s) => [s.nested, s.digestAlgorithm, s.state])).toEqual([
      [false, 'sha256', 'valid'],
      [true, 'sha1', 'valid'],
    ])
    expect(r.signatures[0]!.timestamps).toEqual([
      expect.objectContaining({ kind: 'rfc3161', valid: true, time: '2027-01-01T00:00:00.000Z' }),
    ])
    expect(r.signatures[0]!.timestamps[0]!.signer?.name).toBe('Vigil Test TSA (TEST ONLY)')
  })

  it('detects a forged signature value as bad-signature', () => {
    const bytes = Buffer.from(readPeFixture('helper-signed.dll'))
    const pe = parsePe(bytes)!
    const e = pe.certificateTable!.entries[0]!
    // The RSA signature value is the last 256 bytes of the DER blob (no unsigned attributes).
    const at = e.offset + 8 + e.derLength! - 10
    bytes[at] = bytes[at]! ^ 0xff
    expect(verifyAuthenticode(bytes, pe, { trustStore: store }).state).toBe('bad-signature')
  })

  it('hashes all but the checksum, the certificate directory entry and the table', () => {
    const pe = parsePe(readPeFixture('helper-signed.dll'))!
    const ranges = imageHashRanges(pe)
    const dir = pe.offsets.certificateDirectory!
    expect(ranges).toEqual([
      [0, pe.offsets.checksum],
      [pe.offsets.checksum + 4, dir],
      [dir + 8, pe.certificateTable!.offset],
    ])
  })
})

/** `osslsigncode verify` per signature: digests equal, signer subject; and the overall verdict. */
function osslsigncode(file: string) {
  const run = spawnSync(
    'osslsigncode',
    [
      'verify',
      '-CAfile',
      join(PE_TRUST_DIR, 'test-ca.pem'),
      '-TSA-CAfile',
      join(PE_TRUST_DIR, 'test-ca.pem'),
      '-in',
      file,
    ],
    { encoding: 'utf8' },
  )
  const out = `${run.stdout}${run.stderr}`
  const blocks = out.split(/^Signature Index: \d+.*$/m).slice(1)
  return {
    succeeded: /^Succeeded$/m.test(out),
    signatures: blocks.map((b) => ({
      digestMatches: !/MISMATCH/.test(b),
      subject: /Signer's certificate:[\s\S]*?Subject: (.+)/.exec(b)?.[1]?.trim(),
    })),
  }
}

const haveOsslsigncode = spawnSync('osslsigncode', ['--version']).status === 0

describe.skipIf(!haveOsslsigncode)('agreement with osslsigncode verify', () => {
  const signed = peFixtureNames().filter((n) => parsePe(readPeFixture(n))?.certificateTable)
  it('covers the signed fixtures, tampered ones included', () => {
    expect(signed).toEqual(expect.arrayContaining(['helper-tampered.dll', 'helper-padded.dll']))
    expect(execFileSync('osslsigncode', ['--version'], { encoding: 'utf8' })).toContain(
      'osslsigncode',
    )
  })
  for (const name of signed) {
    it(name, () => {
      const theirs = osslsigncode(join(PE_FIXTURES, name))
      const ours = verifyFixture(name)
      expect(ours.signatures.length).toBe(theirs.signatures.length)
      ours.signatures.forEach((sig, i) => {
        const t = theirs.signatures[i]!
        expect(sig.signedDigest === sig.computedDigest, `digest of signature ${i}`).toBe(
          t.digestMatches,
        )
        if (t.subject) expect(`/${sig.signer?.subject.split(', ').join('/')}`).toBe(t.subject)
      })
      expect(ours.state === 'valid', 'overall verdict').toBe(theirs.succeeded)
    })
  }
})

describe.skipIf(!haveOsslsigncode)('authenticodeImageHash', () => {
  it('is what osslsigncode reports as the calculated digest', () => {
    const bytes = readPeFixture('helper-tampered.dll')
    const ours = authenticodeImageHash(bytes, parsePe(bytes)!, 'sha256')
    const out = spawnSync(
      'osslsigncode',
      ['verify', '-in', join(PE_FIXTURES, 'helper-tampered.dll')],
      {
        encoding: 'utf8',
      },
    ).stdout
    expect(/Calculated message digest : ([0-9A-F]+)/.exec(out)?.[1]?.toLowerCase()).toBe(ours)
  })
})
