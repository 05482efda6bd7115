import { parsePlist } from '../binary/plist/parse.js'
import { isDict, type PlistDict, type PlistValue } from '../binary/plist/types.js'

/** One sealed path of a bundle's `_CodeSignature/CodeResources` (paths relative to the seal root). */
export interface SealEntry {
  sha256?: string
  sha1?: string
  /** Nested code (a dylib, helper or framework) is sealed by its CodeDirectory hash. */
  cdhash?: string
  optional?: boolean
  symlink?: string
}

export interface SealRule {
  pattern: string
  omit?: boolean
  optional?: boolean
  nested?: boolean
  weight?: number
}

export interface CodeResourcesSeal {
  version: 1 | 2
  entries: Record<string, SealEntry>
  rules: SealRule[]
  anomalies: string[]
}

/** Most entries kept from one CodeResources file (a bound on hostile input). */
export const MAX_SEAL_ENTRIES = 50_000

/** Reads `files2` (SHA-256, v2) or, for old bundles, `files` (SHA-1, v1). */
export function parseCodeResources(bytes: Uint8Array): CodeResourcesSeal {
  const parsed = parsePlist(bytes)
  const anomalies = parsed.anomalies.map((a) => a.message)
  const root = parsed.value
  const seal: CodeResourcesSeal = { version: 2, entries: {}, rules: [], anomalies }
  if (!isDict(root)) {
    anomalies.push('CodeResources is not a dictionary')
    return seal
  }
  const files2 = root.files2
  const files = isDict(files2) ? files2 : root.files
  seal.version = isDict(files2) ? 2 : 1
  if (!isDict(files)) {
    anomalies.push('CodeResources has no files2 or files dictionary')
    return seal
  }
  let n = 0
  for (const [path, value] of Object.entries(files)) {
    if (++n > MAX_SEAL_ENTRIES) {
      anomalies.push(`more than ${MAX_SEAL_ENTRIES} sealed entries; the rest were not read`)
      break
    }
    const entry = sealEntry(value)
    if (entry) seal.entries[path] = entry
  }
  const rules = isDict(root.rules2) ? root.rules2 : root.rules
  if (isDict(rules)) seal.rules = readRules(rules)
  return seal
}

function sealEntry(v: PlistValue): SealEntry | undefined {
  if (v instanceof Uint8Array) return { sha1: hex(v) }
  if (!isDict(v)) return undefined
  const e: SealEntry = {}
  if (v.hash2 instanceof Uint8Array) e.sha256 = hex(v.hash2)
  if (v.hash instanceof Uint8Array) e.sha1 = hex(v.hash)
  if (v.cdhash instanceof Uint8Array) e.cdhash = hex(v.cdhash)
  if (v.optional === true) e.optional = true
  if (typeof v.symlink === 'string') e.symlink = v.symlink
  return e
}

function readRules(rules: PlistDict): SealRule[] {
  return Object.entries(rules)
    .slice(0, 256)
    .map(([pattern, v]) => {
      const r: SealRule = { pattern }
      if (isDict(v)) {
        if (v.omit === true) r.omit = true
        if (v.optional === true) r.optional = true
        if (v.nested === true) r.nested = true
        if (typeof v.weight === 'number') r.weight = v.weight
      }
      return r
    })
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex')
}

/**
 * Compiles a rule pattern from a (hostile) CodeResources file only when it cannot backtrack
 * catastrophically: short, and no quantified group that itself contains a quantifier.
 */
export function safeRuleRegex(pattern: string): RegExp | undefined {
  if (pattern.length > 200) return undefined
  if (/\([^)]*[*+?}][^)]*\)\s*[*+{?]/.test(pattern)) return undefined
  try {
    return new RegExp(pattern)
  } catch {
    return undefined
  }
}

/** Apple's default omissions, applied even when the file's own rules cannot be used. */
const DEFAULT_OMIT = [
  /^(.*\/)?\.DS_Store$/,
  /^Info\.plist$/,
  /^PkgInfo$/,
  /^_CodeSignature\//,
  /^_MASReceipt\//,
  /^CodeResources$/,
]

export interface CompiledRule {
  re: RegExp
  rule: SealRule
}

export function compileRules(rules: SealRule[]): CompiledRule[] {
  return rules.flatMap((rule) => {
    const re = safeRuleRegex(rule.pattern)
    return re ? [{ re, rule }] : []
  })
}

/** Is `rel` (relative to the seal root) left out of the seal by the rules? */
export function isOmitted(rel: string, rules: CompiledRule[]): boolean {
  if (DEFAULT_OMIT.some((r) => r.test(rel))) return true
  let best: SealRule | undefined
  for (const { re, rule } of rules) {
    if (!re.test(rel)) continue
    if (!best || (rule.weight ?? 1) >= (best.weight ?? 1)) best = rule
  }
  return best?.omit === true
}
