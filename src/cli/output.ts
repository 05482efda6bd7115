import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { errorMessage, UsageError } from '../core/errors.js'
import { atLeast } from '../core/severity.js'
import { type Report, SEVERITIES, type Severity } from '../core/types.js'
import { reporterNames, reporters } from '../report/reporters.js'

export interface EmitOptions {
  /** `table` | `json` | `sarif` | … ; default: table when stdout is a TTY and no file, else json. */
  format?: string
  /** Write here (atomically) instead of stdout. */
  output?: string
  failOn: Severity | 'none'
  /** No summary line on stderr. */
  quiet?: boolean
}

/** Where output goes; the defaults are the process streams (tests pass their own). */
export interface EmitIo {
  stdout: {
    write(chunk: string, cb: (err?: Error | null) => void): boolean
    isTTY?: boolean
    columns?: number
  }
  stderr: { write(chunk: string): boolean }
  env: Record<string, string | undefined>
}

function processIo(): EmitIo {
  guardStdout()
  return { stdout: process.stdout, stderr: process.stderr, env: process.env }
}

/** 1 when any (kept) finding or verdict is at or above `failOn`, else 0. */
export function exitCodeFor(report: Report, failOn: Severity | 'none'): 0 | 1 {
  if (failOn === 'none') return 0
  const severities = [
    ...report.findings.map((f) => f.severity),
    ...(report.verdicts ?? []).map((v) => v.severity),
  ]
  return severities.some((s) => atLeast(s, failOn)) ? 1 : 0
}

/** NO_COLOR (https://no-color.org): present and not empty turns colour off. */
function colorAllowed(io: EmitIo): boolean {
  return io.stdout.isTTY === true && !io.env.NO_COLOR
}

/** Writes through a temp file in the same directory and renames it over the target. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  )
  try {
    await writeFile(tmp, text, { flag: 'wx', mode: 0o644 })
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw new UsageError(`cannot write --output ${path}: ${errorMessage(err)}`)
  }
}

/** A closed pipe (`vigil scan … | head`) is the reader's choice, not our failure. */
function isEpipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE'
}

function writeStdout(io: EmitIo, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    io.stdout.write(text, (err) => (err && !isEpipe(err) ? reject(err) : resolve()))
  })
}

let epipeGuard = false

/** process.stdout also emits 'error' for EPIPE, which, unhandled, would crash: ignore that one. */
function guardStdout(): void {
  if (epipeGuard) return
  epipeGuard = true
  process.stdout.on('error', (err) => {
    if (!isEpipe(err)) throw err
  })
}

function summaryLine(report: Report, format: string, output: string): string {
  const counts = new Map<Severity, number>()
  for (const f of report.findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1)
  const parts = SEVERITIES.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`)
  const findings = report.findings.length === 0 ? 'no findings' : `findings: ${parts.join(', ')}`
  const problems = report.problems.length === 1 ? '1 problem' : `${report.problems.length} problems`
  return `vigil: wrote ${format} report to ${output} (${findings}; ${problems})\n`
}

/**
 * Writes the report in the chosen format to `--output` or stdout and returns the exit code per
 * `--fail-on` (0 or 1). An unknown format or an unwritable output path is a UsageError (exit 2).
 */
export async function emitReport(
  report: Report,
  opts: EmitOptions,
  io: EmitIo = processIo(),
): Promise<number> {
  const format = opts.format ?? (io.stdout.isTTY && !opts.output ? 'table' : 'json')
  const reporter = Object.hasOwn(reporters, format) ? reporters[format] : undefined
  if (!reporter) {
    throw new UsageError(`unknown --format '${format}': use one of ${reporterNames().join(', ')}`)
  }
  const toStdout = opts.output === undefined || opts.output === '-'
  const color = format === 'table' && toStdout && colorAllowed(io)
  const width =
    toStdout && io.stdout.isTTY && io.stdout.columns ? Math.min(io.stdout.columns, 160) : 100
  const text = await reporter(report, { color, width })
  if (toStdout) await writeStdout(io, text)
  else {
    await writeAtomic(opts.output!, text)
    if (!opts.quiet) io.stderr.write(summaryLine(report, format, opts.output!))
  }
  return exitCodeFor(report, opts.failOn)
}
