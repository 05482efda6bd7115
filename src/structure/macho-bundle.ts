import type { FileType } from '../core/artifact.js'
import { makeFinding } from '../core/finding-id.js'
import type { ArtifactContext, Detector, FileRecord, FinishContext } from '../core/plugin.js'
import type { BinarySummary, Finding, Severity } from '../core/types.js'
import {
  compileRules,
  isOmitted,
  parseCodeResources,
  type SealEntry,
  type SealRule,
} from './code-resources.js'

const RULE = 'structure/bundle-resource-mismatch'
const NAME = 'structure/macho-bundle'
const SEAL_SUFFIX = '_CodeSignature/CodeResources'
const SEAL_IN_DIR = `/${SEAL_SUFFIX}`
/** Findings listed per bundle; the rest are counted in the last one. */
const MAX_FINDINGS_PER_SEAL = 100
const CODE_DIRS =
  /^(Frameworks|SharedFrameworks|PlugIns|Plug-ins|XPCServices|Helpers|MacOS|Library)\//

/**
 * Checks a signed bundle's files against its `_CodeSignature/CodeResources` seal: changed, missing
 * and added files, nested code by cdhash, and the main executable's Info.plist and CodeResources
 * slots. Cache-safe: `detect` publishes the parsed seal as a summary (format `code-resources`);
 * `finish` compares it with `FinishContext.files` (SHA-256) and the Mach-O summaries (cdhash).
 */
export function machoBundleDetector(): Detector {
  return {
    name: NAME,
    version: 1,
    layer: 'structure',
    wants: (a) => a.path === SEAL_SUFFIX || a.path.endsWith(SEAL_IN_DIR),
    async detect(a, ctx: ArtifactContext) {
      const seal = parseCodeResources(await a.bytes())
      for (const message of seal.anomalies)
        ctx.problem({ stage: NAME, path: a.path, message, level: 'warning' })
      ctx.summarize({
        path: a.path,
        format: 'code-resources',
        root: a.path.slice(0, a.path.length - SEAL_SUFFIX.length),
        sealVersion: seal.version,
        seal: seal.entries,
        rules: seal.rules,
      })
      return []
    },
    async finish(ctx: FinishContext) {
      const seals = ctx.binaries.filter((b) => b.format === 'code-resources')
      // Most scans hold no signed bundle: skip indexing every file then.
      if (seals.length === 0) return []
      // Only the files inside a sealed bundle are compared: a root ends with '/', or is '' (the
      // scan's target is the bundle's Contents).
      const roots = new Set(seals.map((b) => String(b.root ?? '')))
      const kept: FileRec[] = []
      for await (const f of ctx.files()) {
        for (const r of roots) {
          if (f.path.startsWith(r)) {
            kept.push(f)
            break
          }
        }
      }
      const files = new Map(kept.map((f) => [f.path, f]))
      const machos = new Map<string, BinarySummary[]>()
      for (const b of ctx.binaries) {
        if (b.format !== 'macho') continue
        const list = machos.get(b.path)
        if (list) list.push(b)
        else machos.set(b.path, [b])
      }
      const sorted = kept.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))
      return seals.flatMap((b) => {
        const unverified = { count: 0 }
        const found = checkSeal(b, { files, sorted, roots, machos, unverified })
        if (unverified.count > 0) {
          ctx.problem({
            stage: NAME,
            path: b.path,
            message: `${unverified.count} sealed hashes are SHA-1 only and were not checked (the scan computes SHA-1 only when the loaded intel has SHA-1 indicators)`,
            level: 'warning',
          })
        }
        return found
      })
    },
  }
}

type FileRec = FileRecord

interface Mismatch {
  path: string
  severity: Severity
  change: 'modified' | 'missing' | 'added'
  detail: string
  evidence: Record<string, unknown>
}

interface Bundle {
  files: Map<string, FileRec>
  /** Every file, sorted by path (prefix ranges by binary search). */
  sorted: FileRec[]
  /** Roots of every seal in the scan (nested bundles carry their own). */
  roots: Set<string>
  machos: Map<string, BinarySummary[]>
  /** Sealed hashes that could not be compared: SHA-1 only, and SHA-1 was not computed. */
  unverified: { count: number }
}

/** Files whose path starts with `prefix`, from a path-sorted list. */
function filesUnder(sorted: FileRec[], prefix: string): FileRec[] {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]!.path < prefix) lo = mid + 1
    else hi = mid
  }
  const out: FileRec[] = []
  for (let i = lo; i < sorted.length && sorted[i]!.path.startsWith(prefix); i++)
    out.push(sorted[i]!)
  return out
}

function checkSeal(summary: BinarySummary, bundle: Bundle): Finding[] {
  const { files, machos, unverified } = bundle
  const root = String(summary.root ?? '')
  const entries = (summary.seal ?? {}) as Record<string, SealEntry>
  const rules = compileRules((summary.rules ?? []) as SealRule[])
  const sealFile = files.get(summary.path)
  const main = mainExecutable(root, machos, sealFile)
  const found: Mismatch[] = []
  if (main && sealFile) found.push(...checkMainSlots(root, main, sealFile, files, unverified))
  const under = filesUnder(bundle.sorted, root)
  const dirs = nestedDirs(entries)
  for (const [rel, entry] of Object.entries(entries)) {
    const m = checkEntry(root, rel, entry, { files, machos, under, unverified })
    if (m) found.push(m)
  }
  for (const f of under) {
    const rel = f.path.slice(root.length)
    if (Object.hasOwn(entries, rel) || main?.path === f.path || rel.includes('!/')) continue
    if (dirs.some((d) => rel.startsWith(d))) continue
    if (isOmitted(rel, rules) || insideOtherSeal(rel, root, bundle.roots)) continue
    found.push(added(f, rel))
  }
  return toFindings(summary, main, found)
}

/**
 * The signed executable whose CodeDirectory seals this CodeResources file: `MacOS/X` of an app,
 * or the binary at the root of a framework version; the one whose code-resources slot matches
 * the seal's hash is preferred.
 */
function mainExecutable(
  root: string,
  machos: Map<string, BinarySummary[]>,
  sealFile: FileRec | undefined,
): BinarySummary | undefined {
  let fallback: BinarySummary | undefined
  for (const [path, list] of machos) {
    if (!path.startsWith(root) || !/^(MacOS\/)?[^/]+$/.test(path.slice(root.length))) continue
    for (const s of list) {
      const sealed = s.sealedFiles as SealedFiles | undefined
      if (!sealed?.codeResources) continue
      if (sealFile?.hashes.sha256.startsWith(sealed.codeResources)) return s
      fallback ??= s
    }
  }
  return fallback
}

interface SealedFiles {
  hashType: string
  infoPlist?: string
  codeResources?: string
}

function checkMainSlots(
  root: string,
  main: BinarySummary,
  sealFile: FileRec,
  files: Map<string, FileRec>,
  unverified: { count: number },
): Mismatch[] {
  const sealed = main.sealedFiles as SealedFiles
  const out: Mismatch[] = []
  const compare = (slot: string | undefined, rec: FileRec | undefined) => {
    if (!slot || !rec) return undefined
    const actual = sealed.hashType === 'sha1' ? rec.hashes.sha1 : rec.hashes.sha256
    if (!actual) {
      unverified.count++
      return undefined
    }
    return actual.startsWith(slot) ? undefined : actual
  }
  const cr = compare(sealed.codeResources, sealFile)
  if (cr) {
    out.push({
      path: sealFile.path,
      severity: 'high',
      change: 'modified',
      detail: `the seal itself was rewritten: its hash no longer matches the code-resources slot of ${main.path}`,
      evidence: {
        expected: sealed.codeResources,
        actual: cr,
        hashType: sealed.hashType,
        sealedBy: main.path,
      },
    })
  }
  const infoRec = files.get(`${root}Info.plist`) ?? files.get(`${root}Resources/Info.plist`)
  const info = compare(sealed.infoPlist, infoRec)
  if (info && infoRec) {
    out.push({
      path: infoRec.path,
      severity: 'medium',
      change: 'modified',
      detail: `Info.plist no longer matches the info-plist slot of ${main.path}`,
      evidence: {
        expected: sealed.infoPlist,
        actual: info,
        hashType: sealed.hashType,
        sealedBy: main.path,
      },
    })
  }
  return out
}

function checkEntry(
  root: string,
  rel: string,
  entry: SealEntry,
  b: Pick<Bundle, 'files' | 'machos' | 'unverified'> & { under: FileRec[] },
): Mismatch | undefined {
  const { files, machos, under, unverified } = b
  if (entry.symlink !== undefined) return undefined
  const path = `${root}${rel}`
  const rec = files.get(path)
  if (entry.cdhash) return checkNested(path, rec, entry, entry.cdhash, machos, under)
  if (!rec) return entry.optional ? undefined : missing(path, entry)
  const expected = entry.sha256 ?? entry.sha1
  const actual = entry.sha256 ? rec.hashes.sha256 : rec.hashes.sha1
  if (expected && !actual) unverified.count++
  if (!expected || !actual || expected === actual) return undefined
  return {
    path,
    severity: isCode(rel, rec.type) ? 'high' : 'medium',
    change: 'modified',
    detail: `${entry.sha256 ? 'SHA-256' : 'SHA-1'} is ${actual}, the seal says ${expected}`,
    evidence: { expected, actual, hash: entry.sha256 ? 'sha256' : 'sha1', size: rec.size },
  }
}

function checkNested(
  path: string,
  rec: FileRec | undefined,
  entry: SealEntry,
  cdhash: string,
  machos: Map<string, BinarySummary[]>,
  under: FileRec[],
): Mismatch | undefined {
  const candidates = rec ? [path] : bundleExecutables(path, under)
  if (!rec && candidates.length === 0) return entry.optional ? undefined : missing(path, entry)
  const summaries = candidates.flatMap((p) => machos.get(p) ?? [])
  const hashes = summaries.flatMap((s) => (s.cdhashes as string[] | undefined) ?? [])
  if (hashes.includes(cdhash)) return undefined
  return {
    path: candidates[0] ?? path,
    severity: 'high',
    change: 'modified',
    detail:
      summaries.length === 0
        ? 'nested code sealed by cdhash carries no code signature now'
        : `nested code's cdhash is ${hashes[0] ?? 'absent'}, the seal says ${cdhash}`,
    evidence: { expectedCdhash: cdhash, actualCdhashes: hashes },
  }
}

function missing(path: string, entry: SealEntry): Mismatch {
  return {
    path,
    severity: 'medium',
    change: 'missing',
    detail: 'a sealed file is missing from the bundle',
    evidence: { expected: entry.sha256 ?? entry.sha1 ?? entry.cdhash },
  }
}

function added(f: FileRec, rel: string): Mismatch {
  return {
    path: f.path,
    severity: isCode(rel, f.type) && isMachO(f.type) ? 'high' : 'medium',
    change: 'added',
    detail: `a ${f.type} file that the seal does not list was added`,
    evidence: { actual: f.hashes.sha256, size: f.size, type: f.type },
  }
}

function isMachO(t: FileType): boolean {
  return t === 'macho' || t === 'macho-fat'
}

function isCode(rel: string, t: FileType): boolean {
  return isMachO(t) || CODE_DIRS.test(rel)
}

/** Sealed entries that are directories (nested bundles): everything below them has its own seal. */
function nestedDirs(entries: Record<string, SealEntry>): string[] {
  return Object.entries(entries)
    .filter(([, e]) => e.cdhash !== undefined)
    .map(([rel]) => `${rel}/`)
}

/** Main executables of a nested bundle directory (`X.app/Contents/MacOS/X`, `X.framework/Versions/A/X`). */
function bundleExecutables(dir: string, under: FileRec[]): string[] {
  const prefix = `${dir}/`
  return under
    .filter((f) => f.path.startsWith(prefix) && isMachO(f.type))
    .map((f) => f.path)
    .filter((p) =>
      /^(Contents\/MacOS\/[^/]+|Versions\/[^/]+\/[^/]+|[^/]+)$/.test(p.slice(prefix.length)),
    )
}

/** A file inside a deeper bundle that carries its own CodeResources. */
function insideOtherSeal(rel: string, root: string, roots: Set<string>): boolean {
  for (let i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) {
    if (roots.has(`${root}${rel.slice(0, i)}/`)) return true
  }
  return false
}

function toFindings(
  seal: BinarySummary,
  main: BinarySummary | undefined,
  found: Mismatch[],
): Finding[] {
  const shown = found.slice(0, MAX_FINDINGS_PER_SEAL)
  const signer = main?.signer ?? 'unknown signer'
  return shown.map((m, i) => {
    const more =
      i === shown.length - 1 && found.length > shown.length
        ? ` (${found.length - shown.length} more not listed)`
        : ''
    return makeFinding({
      ruleId: RULE,
      detector: NAME,
      layer: 'structure',
      severity: m.severity,
      confidence: 'high',
      title: `Signed bundle file ${m.change} after signing`,
      message: `${m.path}: ${m.detail}. The bundle was sealed by ${signer}${main?.teamId ? ` (team ${String(main.teamId)})` : ''}; macOS would reject the bundle.${m.severity === 'medium' ? ' Not executable code on its own, so medium unless corroborated.' : ' Executable code changed: high.'}${more}`,
      locations: [{ path: m.path }],
      evidence: [
        {
          kind: 'bundle-seal-mismatch',
          change: m.change,
          seal: seal.path,
          ...(main ? { mainExecutable: main.path, signer, teamId: main.teamId } : {}),
          ...m.evidence,
        },
      ],
      remediation: {
        summary:
          'Reinstall the application from the vendor and compare the changed files with the original release.',
      },
    })
  })
}
