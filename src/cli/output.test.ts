import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UsageError } from '../core/errors.js'
import { makeFinding } from '../core/finding-id.js'
import type { Report, Severity } from '../core/types.js'
import { reporterNames } from '../report/reporters.js'
import { sampleReport } from '../report/testdata/sample.js'
import { type EmitIo, emitReport, exitCodeFor } from './output.js'

function fakeIo(tty: boolean, env: Record<string, string> = {}) {
  const out: string[] = []
  const err: string[] = []
  const io: EmitIo = {
    stdout: {
      isTTY: tty,
      columns: 100,
      write(chunk, cb) {
        out.push(chunk)
        cb()
        return true
      },
    },
    stderr: {
      write(chunk) {
        err.push(chunk)
        return true
      },
    },
    env,
  }
  return { io, out, err }
}

function reportWith(...severities: Severity[]): Report {
  const r = sampleReport()
  r.findings = severities.map((severity, i) =>
    makeFinding({
      ruleId: `ioc/r${i}`,
      detector: 'ioc/test',
      layer: 'ioc',
      severity,
      confidence: 'high',
      title: 't',
      message: 'm',
      locations: [{ path: `f${i}` }],
      evidence: [{ kind: 'x' }],
    }),
  )
  r.verdicts = undefined
  return r
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-output-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('exit codes per --fail-on', () => {
  const cases: [Severity[], Severity | 'none', number][] = [
    [[], 'high', 0],
    [[], 'low', 0],
    [['info'], 'low', 0],
    [['low'], 'low', 1],
    [['medium'], 'high', 0],
    [['medium'], 'medium', 1],
    [['high'], 'high', 1],
    [['high'], 'critical', 0],
    [['critical'], 'critical', 1],
    [['critical'], 'none', 0],
    [['info', 'low', 'high'], 'medium', 1],
  ]
  it.each(cases)('findings %j with --fail-on %s exit %i', async (sevs, failOn, code) => {
    const { io } = fakeIo(false)
    expect(await emitReport(reportWith(...sevs), { failOn }, io)).toBe(code)
    expect(exitCodeFor(reportWith(...sevs), failOn)).toBe(code)
  })

  it('counts raised verdicts even without their correlation finding', () => {
    const r = reportWith('medium')
    r.verdicts = [
      {
        subject: 'f0',
        subjectKind: 'file',
        severity: 'high',
        layers: ['ioc', 'rule'],
        findingIds: [r.findings[0]!.id],
        reasons: ['x'],
      },
    ]
    expect(exitCodeFor(r, 'high')).toBe(1)
  })
})

describe('emitReport to a real pipe', () => {
  it('survives a reader that closes the pipe early (vigil … | head)', async () => {
    const script = join(dir, 'pipe.mts')
    const src = (p: string) => pathToFileURL(fileURLToPath(new URL(p, import.meta.url))).href
    await writeFile(
      script,
      [
        `import { emitReport } from '${src('./output.ts')}'`,
        `import { sampleReport } from '${src('../report/testdata/sample.ts')}'`,
        'const r = sampleReport()',
        'r.findings = Array.from({ length: 3000 }, () => r.findings).flat()',
        "process.exitCode = await emitReport(r, { format: 'json', failOn: 'high' })",
      ].join('\n'),
    )
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d) => {
      stderr += String(d)
    })
    child.stdout.once('data', () => child.stdout.destroy())
    const code = await new Promise<number | null>((done) => child.on('close', done))
    expect(stderr).toBe('')
    expect(code).toBe(1)
  })
})

describe('emitReport', () => {
  it('writes a table on a TTY and JSON otherwise', async () => {
    const tty = fakeIo(true)
    await emitReport(sampleReport(), { failOn: 'none' }, tty.io)
    expect(tty.out.join('')).toContain('CRITICAL (1)')
    expect(tty.out.join('')).toContain('\u001b[')
    const pipe = fakeIo(false)
    await emitReport(sampleReport(), { failOn: 'none' }, pipe.io)
    expect(JSON.parse(pipe.out.join('')).schemaVersion).toBe(1)
  })

  it('honours NO_COLOR on a TTY', async () => {
    const { io, out } = fakeIo(true, { NO_COLOR: '1' })
    await emitReport(sampleReport(), { failOn: 'none' }, io)
    expect(out.join('')).not.toContain('\u001b[')
  })

  it('writes --output atomically, leaves no temp file, and says so on stderr', async () => {
    const target = join(dir, 'report.sarif')
    await writeFile(target, 'old contents')
    const { io, out, err } = fakeIo(true)
    const code = await emitReport(
      sampleReport(),
      { format: 'sarif', output: target, failOn: 'high' },
      io,
    )
    expect(code).toBe(1)
    expect(out).toEqual([])
    expect(JSON.parse(await readFile(target, 'utf8')).version).toBe('2.1.0')
    expect(await readdir(dir)).toEqual(['report.sarif'])
    expect(err.join('')).toBe(
      `vigil: wrote sarif report to ${target} (findings: 1 critical, 3 high, 1 medium, 1 low, 1 info; 2 problems)\n`,
    )
  })

  it('is quiet when asked and defaults a file to JSON', async () => {
    const target = join(dir, 'out.json')
    const { io, err } = fakeIo(true)
    await emitReport(sampleReport(), { output: target, failOn: 'high', quiet: true }, io)
    expect(err).toEqual([])
    expect(JSON.parse(await readFile(target, 'utf8')).schemaVersion).toBe(1)
  })

  it('rejects an unknown format and an unwritable output as usage errors', async () => {
    const { io } = fakeIo(false)
    await expect(emitReport(sampleReport(), { format: 'xml', failOn: 'high' }, io)).rejects.toThrow(
      UsageError,
    )
    await expect(emitReport(sampleReport(), { format: 'xml', failOn: 'high' }, io)).rejects.toThrow(
      `unknown --format 'xml': use one of ${reporterNames().join(', ')}`,
    )
    for (const format of ['constructor', '__proto__', 'toString']) {
      await expect(emitReport(sampleReport(), { format, failOn: 'high' }, io)).rejects.toThrow(
        UsageError,
      )
    }
    const missing = join(dir, 'no', 'such', 'dir', 'r.json')
    await expect(
      emitReport(sampleReport(), { output: missing, failOn: 'high' }, io),
    ).rejects.toThrow(UsageError)
    await mkdir(join(dir, 'adir'))
    await expect(
      emitReport(sampleReport(), { output: join(dir, 'adir'), failOn: 'high' }, io),
    ).rejects.toThrow(/cannot write --output/)
    expect((await readdir(dir)).sort()).toEqual(['adir'])
  })
})
