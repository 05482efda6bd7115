import { defineCommand } from 'citty'
import { UsageError } from '../../core/errors.js'
import { loadIntel } from '../../intel/load.js'
import { analyzeLogs } from '../../net/analyze.js'
import { joinHosts, loadScanReports } from '../../net/join-scan.js'
import { netReport } from '../../net/report.js'
import { COMMON_ARGS, parseFailOn, repeated } from '../args.js'
import { emitReport } from '../output.js'

/** Flags that take a value, so their value is not mistaken for a log path. */
const VALUE_FLAGS = new Set([
  '--format',
  '--output',
  '-o',
  '--fail-on',
  '--intel',
  '--config',
  '--host-map',
  '--beacon-min',
])

/**
 * Splits raw arguments into log paths and scan reports: `--with-scan` takes every following
 * argument up to the next flag (`vigil net LOGS --with-scan a.json b.json`), or `--with-scan=FILE`.
 */
export function splitNetArgs(raw: readonly string[]): { logs: string[]; scans: string[] } {
  const logs: string[] = []
  const scans: string[] = []
  let inScan = false
  for (let i = 0; i < raw.length; i++) {
    const a = raw[i]!
    if (a === '--with-scan') inScan = true
    else if (a.startsWith('--with-scan=')) scans.push(a.slice('--with-scan='.length))
    else if (a.startsWith('-')) {
      inScan = false
      if (VALUE_FLAGS.has(a)) i++
    } else (inScan ? scans : logs).push(a)
  }
  return { logs, scans }
}

/** `--host-map 10.0.0.5=hostA.json` (or `=hostname`): which scan report a log address belongs to. */
export function parseHostMap(values: readonly string[]): Map<string, string> {
  const map = new Map<string, string>()
  for (const v of values) {
    const eq = v.indexOf('=')
    if (eq <= 0 || eq === v.length - 1)
      throw new UsageError(`--host-map wants ADDRESS=REPORT, not '${v}'`)
    map.set(v.slice(0, eq), v.slice(eq + 1))
  }
  return map
}

export default defineCommand({
  meta: {
    name: 'net',
    description:
      'network layer over Zeek / Suricata eve / Squid / CSV logs: IOC contacts, beaconing, rare destinations',
  },
  args: {
    ...COMMON_ARGS,
    paths: {
      type: 'positional',
      description: 'log files or directories (plain or .gz)',
      required: true,
    },
    'with-scan': {
      type: 'string',
      description: 'host scan report(s) (JSON) to join findings to: --with-scan A.json B.json',
    },
    'host-map': {
      type: 'string',
      description:
        'ADDRESS=REPORT.json or ADDRESS=HOSTNAME: map a log address to a scan report (repeatable)',
    },
    'beacon-min': { type: 'string', description: 'lowest beacon score reported (default 0.8)' },
  },
  async run({ args, rawArgs }) {
    const failOn = parseFailOn(args['fail-on'])
    const { logs, scans: scanPaths } = splitNetArgs(rawArgs)
    if (logs.length === 0) throw new UsageError('give at least one log file or directory')
    const beaconMin = args['beacon-min'] === undefined ? undefined : Number(args['beacon-min'])
    if (beaconMin !== undefined && !(beaconMin >= 0 && beaconMin <= 1))
      throw new UsageError('--beacon-min must be between 0 and 1')
    const hostMap = parseHostMap(repeated(rawArgs, '--host-map'))
    const scans = await loadScanReports(scanPaths).catch((err: Error & { path?: string }) => {
      throw new UsageError(`${err.path ?? ''}: ${err.message}`)
    })
    const { intel, problems } = await loadIntel({ extra: repeated(rawArgs, '--intel') })
    const analysis = await analyzeLogs(logs, {
      intel,
      ...(beaconMin === undefined ? {} : { beaconMin }),
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new UsageError(`no such file or directory: ${err.path}`)
      throw err
    })
    analysis.problems.push(...problems)
    const joined = joinHosts(analysis.findings, scans, hostMap)
    const report = netReport(analysis, intel.sources, joined)
    return emitReport(report, {
      ...(args.format ? { format: args.format } : {}),
      ...(args.output ? { output: args.output } : {}),
      failOn,
      ...(args.quiet ? { quiet: true } : {}),
    })
  },
})
