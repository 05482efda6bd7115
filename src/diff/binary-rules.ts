import { makeFinding } from '../core/finding-id.js'
import type { BinarySummary, Evidence, FileEntry, Finding, Severity } from '../core/types.js'
import { type Capability, capabilitiesOf } from './capabilities.js'

/** Everything the rules know about one changed file. */
export interface ChangedFile {
  old: FileEntry
  new: FileEntry
  oldBin?: BinarySummary
  newBin?: BinarySummary
}

const DETECTOR = 'diff/release'
const HIGH_ENTROPY = 7.0
const MIN_BLOB = 1024

/** Hosts whose URLs appear in signed binaries for benign reasons (schemas, PKI, timestamping). */
const BENIGN_HOSTS =
  /(^|\.)(w3\.org|xmlsoap\.org|microsoft\.com|windows\.com|digicert\.com|verisign\.com|symantec\.com|symcb\.com|symcd\.com|thawte\.com|globalsign\.(com|net)|sectigo\.com|usertrust\.com|comodoca\.com|entrust\.net|apple\.com|godaddy\.com|letsencrypt\.org|openssl\.org|gnu\.org|mozilla\.org|ietf\.org|apache\.org|oasis-open\.org|purl\.org|adobe\.com)$/

function hostOf(url: string): string {
  return url
    .replace(/^[a-z]+:\/\//i, '')
    .split(/[/:?#]/)[0]!
    .toLowerCase()
}

function finding(
  f: ChangedFile,
  ruleId: string,
  severity: Severity,
  title: string,
  message: string,
  evidence: Evidence[],
): Finding {
  return makeFinding({
    ruleId,
    detector: DETECTOR,
    layer: 'diff',
    severity,
    confidence: severity === 'high' ? 'high' : 'medium',
    title,
    message,
    locations: [{ path: f.new.path }],
    evidence: [
      { kind: 'file-change', old: f.old.path, oldSha256: f.old.sha256, newSha256: f.new.sha256 },
      ...evidence,
    ],
  })
}

function setDiff<T>(after: Iterable<T>, before: Iterable<T>): T[] {
  const b = new Set(before)
  return [...new Set(after)].filter((x) => !b.has(x))
}

/** New URLs, domains and IPs not explained by PKI or schema hosts. */
export function newNetworkStrings(f: ChangedFile): string[] {
  const o = f.old.strings ?? {}
  const n = f.new.strings ?? {}
  const urls = setDiff(n.urls ?? [], o.urls ?? []).filter((u) => !BENIGN_HOSTS.test(hostOf(u)))
  const urlHosts = new Set(urls.map(hostOf))
  const domains = setDiff(n.domains ?? [], o.domains ?? []).filter(
    (d) =>
      !BENIGN_HOSTS.test(d) && !urlHosts.has(d) && !(o.urls ?? []).some((u) => hostOf(u) === d),
  )
  const ips = setDiff(n.ips ?? [], o.ips ?? []).filter((ip) => !urlHosts.has(ip))
  return [...urls, ...domains, ...ips]
}

/** Sections or overlay that became high-entropy (encrypted or compressed data) in this release. */
export function newHighEntropyBlobs(f: ChangedFile): Evidence[] {
  const out: Evidence[] = []
  const before = new Map((f.oldBin?.sections ?? []).map((s) => [s.name, s]))
  for (const s of f.newBin?.sections ?? []) {
    if (s.entropy < HIGH_ENTROPY || s.size < MIN_BLOB) continue
    const b = before.get(s.name)
    if (b && b.entropy >= HIGH_ENTROPY - 0.5 && s.size < b.size * 2 + MIN_BLOB) continue
    out.push({ kind: 'high-entropy-section', section: s.name, before: b ?? null, after: s })
  }
  const ov = f.newBin?.overlay
  const oldOv = f.oldBin?.overlay
  if (
    ov &&
    ov.entropy >= HIGH_ENTROPY &&
    ov.size >= MIN_BLOB &&
    (!oldOv || ov.size > oldOv.size * 2)
  ) {
    out.push({ kind: 'high-entropy-overlay', before: oldOv ?? null, after: ov })
  }
  return out
}

function gainedCapabilities(f: ChangedFile): Map<Capability, string[]> {
  const before = capabilitiesOf(f.oldBin?.imports ?? {})
  const after = capabilitiesOf(f.newBin?.imports ?? {})
  const gained = new Map<Capability, string[]>()
  for (const [cap, why] of after) if (!before.has(cap)) gained.set(cap, why)
  return gained
}

const RISKY: readonly Capability[] = ['networking', 'process-injection', 'persistence']

/** "changed library gained network and injection capability" */
export function capabilityRule(f: ChangedFile): Finding[] {
  const gained = gainedCapabilities(f)
  if (gained.size === 0) return []
  const risky = [...gained.keys()].filter((c) => RISKY.includes(c))
  const strings = newNetworkStrings(f)
  const blobs = newHighEntropyBlobs(f)
  const corroborated =
    risky.length > 0 && (gained.size >= 2 || strings.length > 0 || blobs.length > 0)
  const severity: Severity = corroborated ? 'high' : risky.length > 0 ? 'medium' : 'low'
  const caps = [...gained.keys()]
  const extras = [
    strings.length ? `${strings.length} new embedded network address(es)` : '',
    blobs.length ? `${blobs.length} new high-entropy blob(s)` : '',
  ].filter(Boolean)
  return [
    finding(
      f,
      'diff/gained-capability',
      severity,
      `Changed binary gained ${caps.join(' and ')} capability`,
      `${f.new.path} now imports ${caps.join(', ')} functions it did not import before` +
        (extras.length ? `, together with ${extras.join(' and ')}` : '') +
        '. A library that gains such code between two releases should be explained by its changelog.',
      [
        ...[...gained].map(([capability, imports]) => ({
          kind: 'gained-imports',
          capability,
          imports,
        })),
        ...(strings.length
          ? [{ kind: 'new-embedded-addresses', values: strings.slice(0, 20) }]
          : []),
        ...blobs,
      ],
    ),
  ]
}

export function embeddedAddressRule(f: ChangedFile): Finding[] {
  const added = newNetworkStrings(f)
  if (added.length === 0) return []
  return [
    finding(
      f,
      'diff/new-embedded-address',
      'medium',
      'New embedded URL, domain or IP address',
      `${f.new.path} contains ${added.length} network address(es) the previous release did not: ${added.slice(0, 3).join(', ')}${added.length > 3 ? ', …' : ''}.`,
      [{ kind: 'new-embedded-addresses', values: added.slice(0, 50), count: added.length }],
    ),
  ]
}

export function highEntropyRule(f: ChangedFile): Finding[] {
  const blobs = newHighEntropyBlobs(f)
  if (blobs.length === 0) return []
  return [
    finding(
      f,
      'diff/new-high-entropy-data',
      'medium',
      'New encrypted or compressed data in a changed binary',
      `${f.new.path} gained ${blobs.length} high-entropy region(s) (entropy ≥ ${HIGH_ENTROPY} bits/byte) that the previous release did not have.`,
      blobs,
    ),
  ]
}

export function certPaddingRule(f: ChangedFile): Finding[] {
  const after = f.newBin?.certPadding
  if (!after || after.size === 0) return []
  const before = f.oldBin?.certPadding
  if (before && after.size < before.size + 64) return []
  const severity: Severity = after.size >= 64 || after.entropy >= HIGH_ENTROPY ? 'high' : 'medium'
  return [
    finding(
      f,
      'diff/signature-data-appended',
      severity,
      'New data appended inside the signature',
      `${f.new.path} carries ${after.size} byte(s) after its signature inside the certificate table ` +
        `(entropy ${after.entropy.toFixed(2)}); the previous release had ${before?.size ?? 0}. ` +
        'Data there is outside the signed digest (CVE-2013-3900), so the signature still verifies.',
      [{ kind: 'cert-padding', before: before ?? null, after, signer: f.newBin?.signer ?? null }],
    ),
  ]
}

const SIGNED = new Set(['valid', 'valid-untrusted-root', 'adhoc'])
const BROKEN = new Set(['digest-mismatch', 'bad-signature', 'malformed'])

export function signerRule(f: ChangedFile): Finding[] {
  const o = f.oldBin
  const n = f.newBin
  if (!o || !n) return []
  const ev = {
    kind: 'signature-change',
    before: {
      state: o.signature ?? null,
      signer: o.signer ?? null,
      thumbprint: o.signerThumbprint ?? null,
    },
    after: {
      state: n.signature ?? null,
      signer: n.signer ?? null,
      thumbprint: n.signerThumbprint ?? null,
    },
  }
  if (n.signature && BROKEN.has(n.signature) && !BROKEN.has(o.signature ?? '')) {
    return [
      finding(
        f,
        'diff/signature-broken',
        'high',
        'Signature no longer verifies',
        `${f.new.path}: the signature state went from ${o.signature} to ${n.signature}; the file was modified after signing.`,
        [ev],
      ),
    ]
  }
  if (SIGNED.has(o.signature ?? '') && n.signature === 'unsigned') {
    return [
      finding(
        f,
        'diff/signature-dropped',
        'medium',
        'Signature dropped',
        `${f.new.path} was signed by ${o.signer ?? 'a signer'} in the previous release and is unsigned now.`,
        [ev],
      ),
    ]
  }
  if (o.signer && n.signer && o.signer !== n.signer) {
    return [
      finding(
        f,
        'diff/signer-changed',
        'medium',
        'Signer changed',
        `${f.new.path} is signed by ${n.signer} instead of ${o.signer}.`,
        [ev],
      ),
    ]
  }
  if (o.signerThumbprint && n.signerThumbprint && o.signerThumbprint !== n.signerThumbprint) {
    return [
      finding(
        f,
        'diff/signing-key-changed',
        'low',
        'Same signer, new certificate',
        `${f.new.path}: the signer ${n.signer ?? ''} uses a different certificate than before (renewal or a new key).`,
        [ev],
      ),
    ]
  }
  return []
}

/** Version keys whose equality means "the vendor says this is the same build". */
const VERSION_KEYS = [
  'FileVersion',
  'ProductVersion',
  'CFBundleVersion',
  'CFBundleShortVersionString',
]

export function unchangedVersionRule(f: ChangedFile): Finding[] {
  const o = f.oldBin?.version
  const n = f.newBin?.version
  if (!o || !n) return []
  const keys = VERSION_KEYS.filter((k) => o[k] !== undefined && n[k] !== undefined)
  if (keys.length === 0 || keys.some((k) => o[k] !== n[k])) return []
  return [
    finding(
      f,
      'diff/changed-without-version-change',
      'low',
      'Binary changed without a version change',
      `${f.new.path} has new bytes but declares the same ${keys.map((k) => `${k} ${n[k]}`).join(', ')}.`,
      [{ kind: 'version-unchanged', version: Object.fromEntries(keys.map((k) => [k, n[k]])) }],
    ),
  ]
}

export function structureRule(f: ChangedFile): Finding[] {
  const o = f.oldBin
  const n = f.newBin
  if (!o || !n) return []
  const oldNames = new Set((o.sections ?? []).map((s) => s.name))
  const added = (n.sections ?? []).filter((s) => !oldNames.has(s.name))
  const ovGrew = n.overlay && (!o.overlay || n.overlay.size > o.overlay.size + MIN_BLOB)
  const newExports = setDiff(n.exports ?? [], o.exports ?? [])
  if (added.length === 0 && !ovGrew && newExports.length === 0) return []
  const parts = [
    added.length ? `new section(s) ${added.map((s) => s.name).join(', ')}` : '',
    ovGrew ? `overlay ${o.overlay ? 'grew' : 'appeared'} (${n.overlay!.size} bytes)` : '',
    newExports.length ? `${newExports.length} new export(s)` : '',
  ].filter(Boolean)
  return [
    finding(
      f,
      'diff/layout-changed',
      'low',
      'Binary layout changed',
      `${f.new.path}: ${parts.join('; ')}.`,
      [
        {
          kind: 'layout-change',
          sectionsAdded: added,
          overlayBefore: o.overlay ?? null,
          overlayAfter: n.overlay ?? null,
          newExports: newExports.slice(0, 50),
        },
      ],
    ),
  ]
}

/** Every rule over one changed file, in order of suspicion. */
export const BINARY_RULES: readonly ((f: ChangedFile) => Finding[])[] = [
  certPaddingRule,
  signerRule,
  capabilityRule,
  embeddedAddressRule,
  highEntropyRule,
  unchangedVersionRule,
  structureRule,
]
