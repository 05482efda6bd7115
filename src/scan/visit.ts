import { type CollectedArtifact, TooLargeError } from '../collect/collected-artifact.js'
import { embeddedStrings } from '../collect/embedded-strings.js'
import { errorMessage } from '../core/errors.js'
import type { Limits } from '../core/limits.js'
import type { ArtifactContext, Cataloger, Detector } from '../core/plugin.js'
import type { Intel } from '../intel/intel.js'
import type { EntryResult, FileRecord } from './entry-result.js'

const BINARY_TYPES = new Set(['pe', 'elf', 'macho', 'macho-fat'])

/** What every artifact of a scan is shown to. */
export interface VisitEnv {
  /** Also record the URLs, domains and IPs embedded in binaries (diff baselines). */
  fileStrings: boolean
  trustStore: string | undefined
  intel: Intel
  limits: Limits
  signal: AbortSignal
  detectors: readonly Detector[]
  catalogers: readonly Cataloger[]
}

/** Runs every cataloger and detector that wants the artifact; a plugin's failure is a Problem. */
export async function visitArtifact(
  a: CollectedArtifact,
  out: EntryResult,
  env: VisitEnv,
): Promise<void> {
  const record: FileRecord = {
    path: a.path,
    size: a.size,
    type: a.type,
    hashes: a.hashes.sha1
      ? { sha256: a.hashes.sha256, sha1: a.hashes.sha1 }
      : { sha256: a.hashes.sha256 },
  }
  out.files.push(record)
  let tooLargeNoted = false
  const ctx: ArtifactContext = {
    intel: env.intel,
    limits: env.limits,
    signal: env.signal,
    ...(env.trustStore !== undefined && { trustStore: env.trustStore }),
    problem: (p) => out.problems.push(p),
    summarize: (s) => out.binaries.push(s),
  }
  const failed = (stage: string, name: string) => (err: unknown) => {
    if (env.signal.aborted) throw err
    if (err instanceof TooLargeError) {
      if (!tooLargeNoted) {
        out.problems.push({
          stage: 'read',
          path: a.path,
          message: `${err.message}; not parsed`,
          level: 'warning',
        })
      }
      tooLargeNoted = true
      return
    }
    out.problems.push({
      stage,
      path: a.path,
      message: `${name}: ${errorMessage(err)}`,
      level: 'error',
    })
  }
  const jobs: Promise<void>[] = []
  if (env.fileStrings && BINARY_TYPES.has(a.type)) {
    jobs.push(
      a.bytes().then(
        (bytes) => {
          const found = embeddedStrings(bytes)
          if (found.urls.length + found.domains.length + found.ips.length > 0)
            record.strings = found
        },
        failed('strings', 'embedded strings'),
      ),
    )
  }
  for (const c of env.catalogers) {
    if (!wants(c, a, failed)) continue
    jobs.push(
      c.catalog(a, ctx).then(
        (list) => {
          for (const component of list) out.components.push({ by: c.name, component })
        },
        failed('catalog', c.name),
      ),
    )
  }
  for (const d of env.detectors) {
    if (!d.detect || !wants(d, a, failed)) continue
    jobs.push(
      d.detect(a, ctx).then((list) => void out.findings.push(...list), failed('detect', d.name)),
    )
  }
  await Promise.all(jobs)
}

function wants(
  p: Detector | Cataloger,
  a: CollectedArtifact,
  failed: (stage: string, name: string) => (err: unknown) => void,
): boolean {
  try {
    return p.wants ? p.wants(a) : true
  } catch (err) {
    failed('detect', p.name)(err)
    return false
  }
}
