import { readFile, stat } from 'node:fs/promises'
import { InputError, UsageError } from '../core/errors.js'
import type { Report } from '../core/types.js'
import { type ReleaseSnapshot, snapshotFromReport } from './snapshot.js'

/**
 * Scans one release with the file list; supplied by the caller. `quick` (a directory): binary
 * summaries and strings may be left out, the diff completes them for changed files only.
 */
export type ReleaseScanner = (
  path: string,
  role: 'old' | 'new',
  pass: 'quick' | 'complete',
) => Promise<Report>

/**
 * One side of a diff from a directory, an archive or a stored JSON report. A report must list its
 * files (`vigil scan --list-files`), otherwise there is nothing to pair.
 */
export async function loadSide(
  path: string,
  role: 'old' | 'new',
  scanRelease: ReleaseScanner,
): Promise<ReleaseSnapshot> {
  const info = await stat(path).catch(() => {
    throw new UsageError(`${role} release not found: ${path}`)
  })
  if (info.isFile() && path.toLowerCase().endsWith('.json')) {
    const report = await readStoredReport(path)
    if (report) return rebase(snapshotFromReport(report, path))
  }
  if (info.isDirectory()) {
    return { ...snapshotFromReport(await scanRelease(path, role, 'quick'), path), root: path }
  }
  return rebase(snapshotFromReport(await scanRelease(path, role, 'complete'), path))
}

async function readStoredReport(path: string): Promise<Report | undefined> {
  let doc: unknown
  try {
    doc = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new InputError(`${path}: not a JSON document: ${(err as Error).message}`, path)
  }
  const r = doc as Partial<Report>
  if (r?.schemaVersion !== 1 || !Array.isArray(r.findings)) return undefined
  if (!Array.isArray(r.files)) {
    throw new UsageError(
      `${path} is a Vigil report without a file list; make baselines with 'vigil scan --list-files'`,
    )
  }
  return r as Report
}

/**
 * A release given as one archive lists its files as `name.zip!/…`; two versions of it have
 * different archive names, so the common `X!/` prefix is dropped before pairing.
 */
export function rebase(s: ReleaseSnapshot): ReleaseSnapshot {
  const member = s.files.find((f) => f.path.includes('!/'))?.path
  if (!member) return s
  const outer = member.slice(0, member.indexOf('!/'))
  const prefix = `${outer}!/`
  const inside = s.files.filter((f) => f.path !== outer)
  if (!inside.every((f) => f.path.startsWith(prefix))) return s
  const strip = (p: string) => (p.startsWith(prefix) ? p.slice(prefix.length) : p)
  return {
    ...s,
    files: inside.map((f) => ({ ...f, path: strip(f.path) })),
    binaries: s.binaries.map((b) => ({ ...b, path: strip(b.path) })),
    components: s.components.map((c) => ({ ...c, locations: c.locations.map(strip) })),
  }
}
