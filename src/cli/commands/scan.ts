import { stat } from 'node:fs/promises'
import { defineCommand } from 'citty'
import { flagsFromArgs, loadScanSettings, SCAN_ARGS } from '../../config/settings.js'
import { UsageError } from '../../core/errors.js'
import { loadIntel } from '../../intel/load.js'
import { defaultCacheDir } from '../../scan/cache.js'
import { ttyProgress } from '../../scan/progress.js'
import { scan } from '../../scan/scan.js'
import { COMMON_ARGS } from '../args.js'
import { emitReport } from '../output.js'

const DESCRIPTION = `inventory + all static layers over files, dirs, archives, SBOM files

Usage: vigil scan PATH... [--format table|json|sarif|cyclonedx] [--output FILE] [--fail-on SEVERITY]
       [--intel DIR]... [--config FILE] [--suppressions FILE] [--exclude GLOB]... [--threads N]
       [--no-cache] [--cache-dir DIR] [--max-file-size SIZE] [--trust-store DIR] [--list-files]
       [--quiet]`

export default defineCommand({
  meta: { name: 'scan', description: DESCRIPTION },
  args: {
    ...COMMON_ARGS,
    ...SCAN_ARGS,
    'list-files': {
      type: 'boolean',
      description: 'list every file (with embedded URLs) in the JSON report, for diff baselines',
    },
    paths: { type: 'positional', description: 'files, directories or archives', required: false },
  },
  run: ({ args, rawArgs }) => runScan(args as Record<string, unknown>, rawArgs),
})

/** `vigil scan`: settings, intel, scan(), report; returns the exit code (0/1; 2 via UsageError). */
export async function runScan(args: Record<string, unknown>, rawArgs: string[]): Promise<number> {
  const paths = positionals(args)
  if (paths.length === 0) throw new UsageError('name at least one file or directory to scan')
  for (const p of paths) {
    try {
      await stat(p)
    } catch (err) {
      throw new UsageError(`cannot scan '${p}': ${(err as { code?: string }).code ?? err}`)
    }
  }
  const { settings, suppressions } = await loadScanSettings(flagsFromArgs(args, rawArgs))
  const { intel, problems } = await loadIntel({ extra: settings.intel })
  const progress = settings.quiet ? undefined : ttyProgress()
  const controller = new AbortController()
  const onSignal = () => controller.abort(new UsageError('interrupted'))
  process.once('SIGINT', onSignal)
  try {
    const report = await scan({
      paths,
      intel,
      limits: settings.limits,
      excludes: settings.exclude,
      threads: settings.threads,
      ...(settings.cache.enabled && { cache: { dir: settings.cache.dir ?? defaultCacheDir() } }),
      ...(progress && { onProgress: progress.onProgress }),
      signal: controller.signal,
      problems,
      suppressions,
      listFiles: args['list-files'] === true,
      fileStrings: args['list-files'] === true,
      ...(settings.trustStore !== undefined && { trustStore: settings.trustStore }),
    })
    progress?.done()
    return await emitReport(report, {
      ...(settings.format !== undefined && { format: settings.format }),
      ...(settings.output !== undefined && { output: settings.output }),
      failOn: settings.failOn,
      quiet: settings.quiet,
    })
  } finally {
    progress?.done()
    process.off('SIGINT', onSignal)
  }
}

function positionals(args: Record<string, unknown>): string[] {
  const rest = args._
  if (Array.isArray(rest)) return rest.map(String)
  return typeof args.paths === 'string' ? [args.paths] : []
}
