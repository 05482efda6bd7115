import { stat } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { defineCommand } from 'citty'
import { errorMessage, UsageError } from '../../core/errors.js'
import type { Report } from '../../core/types.js'
import { buildIntel } from '../../intel/build-index.js'
import { cyclonedxReport } from '../../report/cyclonedx.js'
import { spdxReport } from '../../report/spdx.js'
import { scan } from '../../scan/scan.js'
import { writeAtomic } from '../output.js'

const USAGE = `vigil sbom PATH... [--format cyclonedx|spdx] [--output FILE] [--exclude GLOB]... [--quiet]

Inventory only (no detectors, no intel): every component the catalogers find in the files,
directories and archives, as CycloneDX 1.6 JSON (default) or SPDX 2.3 JSON.`

const FORMATS = { cyclonedx: cyclonedxReport, spdx: spdxReport } as const
type SbomFormat = keyof typeof FORMATS

export default defineCommand({
  meta: { name: 'sbom', description: USAGE },
  args: {
    paths: { type: 'positional', description: 'files, directories or archives', required: true },
    format: { type: 'string', description: 'cyclonedx (default) | spdx' },
    output: { type: 'string', alias: 'o', description: 'write to FILE instead of stdout' },
    exclude: { type: 'string', description: 'glob of paths to skip (repeatable)' },
    quiet: { type: 'boolean', description: 'no summary on stderr' },
  },
  run: ({ rawArgs }) => runSbom(rawArgs),
})

function parse(rawArgs: string[]) {
  try {
    return parseArgs({
      args: rawArgs,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        exclude: { type: 'string', multiple: true },
        quiet: { type: 'boolean' },
      },
    })
  } catch (err) {
    throw new UsageError(errorMessage(err))
  }
}

/** The inventory of the paths: the scan pipeline with catalogers only. */
export async function inventory(
  paths: readonly string[],
  excludes: readonly string[] = [],
): Promise<Report> {
  return scan({ paths, intel: buildIntel([], []), detectors: [], excludes })
}

export async function runSbom(rawArgs: string[]): Promise<number> {
  const { values, positionals } = parse(rawArgs)
  if (positionals.length === 0) throw new UsageError('name at least one file or directory')
  const format = (values.format ?? 'cyclonedx') as SbomFormat
  if (!Object.hasOwn(FORMATS, format)) {
    throw new UsageError(`unknown --format '${values.format}': use cyclonedx or spdx`)
  }
  for (const p of positionals) {
    await stat(p).catch(() => {
      throw new UsageError(`cannot read ${p}`)
    })
  }
  const report = await inventory(positionals, values.exclude ?? [])
  const text = FORMATS[format](report)
  if (values.output) await writeAtomic(values.output, text)
  else process.stdout.write(text)
  if (!values.quiet) {
    const errors = report.problems.filter((p) => p.level !== 'warning').length
    process.stderr.write(
      `vigil sbom: ${report.components.length} components from ${report.stats.files} files` +
        `${errors ? `, ${errors} problems (see vigil scan --format json)` : ''}\n`,
    )
  }
  return 0
}
