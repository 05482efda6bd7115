import { defineCommand } from 'citty'
import { flagsFromArgs, loadScanSettings, SCAN_ARGS } from '../../config/settings.js'
import { UsageError } from '../../core/errors.js'
import type { FactsReader } from '../../diff/complete.js'
import { diffReport } from '../../diff/diff.js'
import { loadSide, type ReleaseScanner } from '../../diff/sides.js'
import { loadIntel } from '../../intel/load.js'
import { defaultCacheDir } from '../../scan/cache.js'
import { createPlugins } from '../../scan/plugins.js'
import { scan } from '../../scan/scan.js'
import { COMMON_ARGS } from '../args.js'
import { emitReport } from '../output.js'

const DESCRIPTION = `release differential analysis of two versions of a product

Usage: vigil diff OLD NEW [options]
       vigil diff --baseline REPORT.json NEW [options]
OLD and NEW are directories, archives (zip, tar.gz, asar, …) or JSON reports of
'vigil scan --list-files'. The report holds NEW's own findings, the diff findings
(layer "diff") and a "diff" block listing what changed.`

export default defineCommand({
  meta: { name: 'diff', description: DESCRIPTION },
  args: {
    ...COMMON_ARGS,
    ...SCAN_ARGS,
    baseline: {
      type: 'string',
      description: 'the old release as a stored report (instead of OLD)',
    },
    releases: {
      type: 'positional',
      description: 'OLD NEW (or NEW with --baseline)',
      required: true,
    },
  },
  run: ({ args, rawArgs }) => runDiff(args as Record<string, unknown>, rawArgs),
})

export async function runDiff(args: Record<string, unknown>, rawArgs: string[]): Promise<number> {
  const rest = Array.isArray(args._) ? args._.map(String) : []
  const baseline = typeof args.baseline === 'string' ? args.baseline : undefined
  const [oldPath, newPath] = baseline ? [baseline, ...rest] : rest
  if (!oldPath || !newPath || rest.length !== (baseline ? 1 : 2)) {
    throw new UsageError('name two releases: vigil diff OLD NEW (or --baseline REPORT.json NEW)')
  }
  const { settings, suppressions } = await loadScanSettings(flagsFromArgs(args, rawArgs))
  const { intel, problems } = await loadIntel({ extra: settings.intel })
  const { detectors: all, catalogers } = await createPlugins()
  // The old release only needs what is compared: components and binary summaries. Whole releases
  // are scanned on the worker threads (plugins by name); the few changed binaries in-process.
  const structureOnly = all.filter((d) => d.layer === 'structure')
  const withCatalogers = (detectors: readonly { name: string }[]) => [
    ...catalogers.map((c) => c.name),
    ...detectors.map((d) => d.name),
  ]
  const common = {
    intel,
    limits: settings.limits,
    excludes: settings.exclude,
    threads: settings.threads,
    ...(settings.cache.enabled && { cache: { dir: settings.cache.dir ?? defaultCacheDir() } }),
    listFiles: true,
    ...(settings.trustStore !== undefined && { trustStore: settings.trustStore }),
  }
  // A directory is scanned quickly first (the old side without structure, neither side with
  // embedded strings); the changed binaries are then read again by `readFacts`.
  const scanRelease: ReleaseScanner = (path, role, pass) =>
    scan({
      ...common,
      paths: [path],
      ...(role === 'old' && {
        plugins: withCatalogers(pass === 'quick' ? [] : structureOnly),
      }),
      fileStrings: pass === 'complete',
      ...(role === 'new' && { problems, suppressions }),
    })
  const readFacts: FactsReader = async (fsPath, role) => {
    const r = await scan({
      ...common,
      paths: [fsPath],
      detectors: role === 'old' ? structureOnly : [],
      catalogers: [],
      fileStrings: true,
    })
    const file = r.files?.find((f) => !f.path.includes('!/'))
    return { binaries: r.binaries ?? [], ...(file?.strings && { strings: file.strings }) }
  }
  const oldSide = await loadSide(oldPath, 'old', scanRelease)
  const newSide = await loadSide(newPath, 'new', scanRelease)
  const report = await diffReport(oldSide, newSide, readFacts)
  return emitReport(report, {
    ...(settings.format !== undefined && { format: settings.format }),
    ...(settings.output !== undefined && { output: settings.output }),
    failOn: settings.failOn,
    quiet: settings.quiet,
  })
}
