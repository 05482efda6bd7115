import { readFile } from 'node:fs/promises'
import picomatch from 'picomatch/posix.js'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { errorMessage, UsageError } from '../core/errors.js'
import type { Finding, Problem } from '../core/types.js'

const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/

/** A real calendar date (`2027-02-30` is not, though Date.parse accepts it). */
function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s) || Number.isNaN(Date.parse(s))) return false
  const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number]
  const day = new Date(Date.UTC(y, m - 1, d))
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d
}

const expires = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const s = v instanceof Date ? v.toISOString() : v.trim()
  if (!isIsoDate(s)) {
    ctx.addIssue({ code: 'custom', message: `'${s}' is not an ISO date (YYYY-MM-DD)` })
    return z.NEVER
  }
  return s
})

export const suppressionEntrySchema = z
  .strictObject({
    ruleId: z.string().min(1),
    /** Glob over the finding's location paths (report paths, `outer!/inner` for members). */
    path: z.string().min(1).optional(),
    /** purl; without `@version` it matches every version. */
    component: z.string().regex(/^pkg:/, 'must be a purl (pkg:…)').optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits')
      .transform((s) => s.toLowerCase())
      .optional(),
    reason: z.string().trim().min(1, 'a reason is required'),
    expires: expires.optional(),
  })
  .refine((e) => e.path || e.component || e.sha256, {
    message: 'needs at least one of path, component or sha256 besides ruleId',
  })

const listSchema = z.array(suppressionEntrySchema)

export type SuppressionEntry = z.infer<typeof suppressionEntrySchema> & {
  /** Where the entry was written: the file and its 1-based position in the list. */
  source: { file: string; index: number }
}

/** Parses suppressions (a list, or `{ suppressions: [...] }`) from JSON or YAML text. */
export function parseSuppressions(text: string, file: string): SuppressionEntry[] {
  let doc: unknown
  try {
    doc = file.toLowerCase().endsWith('.json')
      ? JSON.parse(text)
      : parseYaml(text, { logLevel: 'error' })
  } catch (err) {
    throw new UsageError(`suppressions file ${file}: cannot parse: ${errorMessage(err)}`)
  }
  const list = entriesOf(doc)
  if (!list) {
    throw new UsageError(
      `suppressions file ${file}: expected a list of entries or { suppressions: [...] }`,
    )
  }
  const parsed = listSchema.safeParse(list)
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((issue) => {
      const [index, ...key] = issue.path.map(String)
      const where = index === undefined ? '' : `entry ${Number(index) + 1}: `
      if (issue.code === 'unrecognized_keys') {
        return `${where}unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
      }
      return `${where}${key.length > 0 ? `key '${key.join('.')}': ` : ''}${issue.message}`
    })
    throw new UsageError(`suppressions file ${file}: ${msgs.join('; ')}`)
  }
  return parsed.data.map((e, i) => ({ ...e, source: { file, index: i + 1 } }))
}

/** The entry list of a document: the document itself, or its `suppressions` key; empty file = []. */
function entriesOf(doc: unknown): unknown[] | undefined {
  if (doc === null || doc === undefined) return []
  if (Array.isArray(doc)) return doc
  if (typeof doc !== 'object') return undefined
  const keys = Object.keys(doc)
  const list = (doc as { suppressions?: unknown }).suppressions
  return keys.length === 1 && Array.isArray(list) ? list : undefined
}

export async function loadSuppressions(file: string): Promise<SuppressionEntry[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read suppressions file ${file}: ${errorMessage(err)}`)
  }
  return parseSuppressions(text, file)
}

/** A date-only `expires` is valid through that whole day (UTC); a date-time until that instant. */
export function expiryTime(expires: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(expires)) return Date.parse(`${expires}T23:59:59.999Z`)
  return Date.parse(expires)
}

function purlBase(purl: string): string {
  return purl.split(/[?#]/)[0]!
}

/** `pkg:npm/%40s/x@1.0` → `pkg:npm/%40s/x` (the version follows the last `@` after the last `/`). */
function withoutVersion(purl: string): string {
  const base = purlBase(purl)
  const at = base.lastIndexOf('@')
  return at > base.lastIndexOf('/') ? base.slice(0, at) : base
}

function componentMatches(entry: string, finding: string | undefined): boolean {
  if (!finding) return false
  const e = purlBase(entry)
  return e === withoutVersion(e) ? withoutVersion(finding) === e : purlBase(finding) === e
}

/** SHA-256 values a finding names: its files' hashes, and `sha256` keys in its evidence. */
function hashesOf(f: Finding, fileHashes?: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>()
  for (const l of f.locations) {
    const h = fileHashes?.get(l.path)
    if (h) out.add(h.toLowerCase())
  }
  for (const e of f.evidence) {
    if (typeof e.sha256 === 'string') out.add(e.sha256.toLowerCase())
    if (e.algorithm === 'sha256' && typeof e.value === 'string') out.add(e.value.toLowerCase())
  }
  return out
}

type Matcher = (f: Finding) => boolean

function matcherOf(e: SuppressionEntry, fileHashes?: ReadonlyMap<string, string>): Matcher {
  const glob = e.path ? picomatch(e.path, { dot: true }) : undefined
  return (f) =>
    f.ruleId === e.ruleId &&
    (!glob || (f.locations.length > 0 && f.locations.every((l) => glob(l.path)))) &&
    (!e.component || componentMatches(e.component, f.component)) &&
    (!e.sha256 || hashesOf(f, fileHashes).has(e.sha256))
}

function label(e: SuppressionEntry): string {
  const what = [
    `ruleId ${e.ruleId}`,
    e.path && `path '${e.path}'`,
    e.component && `component ${e.component}`,
    e.sha256 && `sha256 ${e.sha256.slice(0, 12)}…`,
  ].filter(Boolean)
  return `entry ${e.source.index} (${what.join(', ')})`
}

export interface SuppressionResult {
  /** The findings no entry suppressed, in input order. */
  kept: Finding[]
  /** How many findings were suppressed (report it in stats.suppressed). */
  suppressed: number
  /** Warnings, stage `suppressions`: expired entries and entries that matched nothing. */
  problems: Problem[]
}

/**
 * Drops the findings that an unexpired entry matches (ruleId, plus every criterion the entry
 * sets). Expired entries suppress nothing and are reported; so are entries that matched nothing.
 * Run it before correlation, so a suppressed finding neither raises nor shows in a verdict.
 */
export function applySuppressions(
  findings: readonly Finding[],
  entries: readonly SuppressionEntry[],
  now: Date,
  opts: { fileHashes?: ReadonlyMap<string, string> } = {},
): SuppressionResult {
  const problems: Problem[] = []
  const active: { entry: SuppressionEntry; match: Matcher; used: boolean }[] = []
  for (const entry of entries) {
    if (entry.expires && expiryTime(entry.expires) < now.getTime()) {
      problems.push({
        stage: 'suppressions',
        path: entry.source.file,
        level: 'warning',
        message: `${label(entry)} expired on ${entry.expires}; its findings are reported again`,
      })
    } else active.push({ entry, match: matcherOf(entry, opts.fileHashes), used: false })
  }
  const kept: Finding[] = []
  for (const f of findings) {
    const hits = active.filter((a) => a.match(f))
    for (const h of hits) h.used = true
    if (hits.length === 0) kept.push(f)
  }
  for (const a of active) {
    if (a.used) continue
    problems.push({
      stage: 'suppressions',
      path: a.entry.source.file,
      level: 'warning',
      message: `${label(a.entry)} matched no finding; remove it or correct it`,
    })
  }
  return { kept, suppressed: findings.length - kept.length, problems }
}
