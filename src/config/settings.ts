import { stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { dirname, resolve } from 'node:path'
import type { ArgsDef } from 'citty'
import { repeated } from '../cli/args.js'
import { TRUST_STORE_ENV } from '../core/env.js'
import { UsageError } from '../core/errors.js'
import { DEFAULT_LIMITS, type Limits } from '../core/limits.js'
import { isSeverity } from '../core/severity.js'
import type { Severity } from '../core/types.js'
import { reporterNames, reporters } from '../report/reporters.js'
import type { Config } from './config.js'
import { parseSize } from './size.js'
import type { SuppressionEntry } from './suppressions.js'

/** Flags scan, diff and net add to COMMON_ARGS (src/cli/args.ts). */
export const SCAN_ARGS = {
  exclude: { type: 'string', description: 'glob of paths not to scan (repeatable)' },
  threads: {
    type: 'string',
    description: 'scan threads, each reading and checking files (default: CPU count)',
  },
  cache: { type: 'boolean', description: 'reuse results for unchanged files (--no-cache: off)' },
  'cache-dir': { type: 'string', description: 'where the scan cache lives' },
  suppressions: { type: 'string', description: 'suppressions file (JSON or YAML)' },
  'trust-store': {
    type: 'string',
    description: 'directory of PEM roots trusted for signatures (default $VIGIL_TRUST_STORE)',
  },
  'max-file-size': { type: 'string', description: 'files above this are hashed only (e.g. 1GiB)' },
  'max-archive-depth': { type: 'string', description: 'archive nesting opened (default 8)' },
  'max-archive-members': { type: 'string', description: 'members read per archive' },
  'max-expanded-size': { type: 'string', description: 'bytes expanded per archive (e.g. 4GiB)' },
} as const satisfies ArgsDef

/** Command-line values, before the config file is merged in. Absent = not given. */
export interface ScanFlags {
  config?: string
  format?: string
  output?: string
  failOn?: string
  quiet?: boolean
  intel?: string[]
  exclude?: string[]
  threads?: string | number
  cache?: boolean
  cacheDir?: string
  suppressions?: string
  trustStore?: string
  /** Limit overrides, as given (`--max-file-size 1GiB` → `{ maxFileBytes: '1GiB' }`). */
  limits?: Partial<Record<keyof Limits, string | number>>
}

/** What a command runs with: flags over the config file over the defaults. */
export interface ScanSettings {
  format?: string
  output?: string
  failOn: Severity | 'none'
  quiet: boolean
  /** Extra intel paths: the config file's, then the flags'. */
  intel: string[]
  /** Exclude globs: the config file's, then the flags'. */
  exclude: string[]
  threads: number
  limits: Limits
  cache: { enabled: boolean; dir?: string }
  /** Suppressions file (absolute), when one is named. */
  suppressionsFile?: string
  /** Trust store directory (absolute): flag, config file, then $VIGIL_TRUST_STORE. */
  trustStore?: string
}

type Args = Record<string, unknown>

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** ScanFlags from citty's parsed args (COMMON_ARGS + SCAN_ARGS) and the raw argv. */
export function flagsFromArgs(args: Args, rawArgs: readonly string[]): ScanFlags {
  const limits: ScanFlags['limits'] = {}
  const limitFlags: [string, keyof Limits][] = [
    ['max-file-size', 'maxFileBytes'],
    ['max-archive-depth', 'maxArchiveDepth'],
    ['max-archive-members', 'maxArchiveMembers'],
    ['max-expanded-size', 'maxExpandedBytes'],
  ]
  for (const [flag, key] of limitFlags) {
    const v = str(args[flag])
    if (v !== undefined) limits[key] = v
  }
  const flags: ScanFlags = {
    intel: repeated(rawArgs, '--intel'),
    exclude: repeated(rawArgs, '--exclude'),
    limits,
  }
  const pick: [keyof ScanFlags, string][] = [
    ['config', 'config'],
    ['format', 'format'],
    ['output', 'output'],
    ['failOn', 'fail-on'],
    ['threads', 'threads'],
    ['cacheDir', 'cache-dir'],
    ['suppressions', 'suppressions'],
    ['trustStore', 'trust-store'],
  ]
  for (const [key, name] of pick) {
    const v = str(args[name])
    if (v !== undefined) (flags as Record<string, unknown>)[key] = v
  }
  if (typeof args.quiet === 'boolean') flags.quiet = args.quiet
  if (typeof args.cache === 'boolean') flags.cache = args.cache
  return flags
}

function failOnOf(v: string | undefined, from: string): Severity | 'none' | undefined {
  if (v === undefined || v === 'none' || isSeverity(v)) return v
  throw new UsageError(`${from} must be critical, high, medium, low or none, not '${v}'`)
}

function threadsOf(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined
  const n = typeof v === 'number' ? v : /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new UsageError(`--threads must be a whole number from 1 to 256, not '${v}'`)
  }
  return n
}

function limitsOf(config: Config | undefined, flags: ScanFlags): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS, ...config?.limits }
  for (const [key, raw] of Object.entries(flags.limits ?? {}) as [
    keyof Limits,
    string | number,
  ][]) {
    const n = key.endsWith('Bytes') ? parseSize(raw) : Number(raw)
    if (n === undefined || !Number.isFinite(n) || n < 0) {
      throw new UsageError(
        `limit ${key}: '${raw}' is not a valid ${key.endsWith('Bytes') ? 'size' : 'number'}`,
      )
    }
    limits[key] = n
  }
  return limits
}

/**
 * Combines flags with a loaded config file, the one way scan, diff and net do it: a flag beats the
 * file, the file beats the default; list settings (intel, exclude) are the file's plus the flags'.
 * Paths from flags are resolved against the working directory, the file's against its directory.
 */
export function resolveScanSettings(flags: ScanFlags, config?: Config): ScanSettings {
  const failOn = failOnOf(flags.failOn, '--fail-on') ?? config?.failOn ?? 'high'
  const cacheDir = flags.cacheDir !== undefined ? resolve(flags.cacheDir) : config?.cache?.dir
  const suppressions =
    flags.suppressions !== undefined ? resolve(flags.suppressions) : config?.suppressions
  const format = flags.format ?? config?.format
  const trustStore =
    flags.trustStore !== undefined
      ? resolve(flags.trustStore)
      : (config?.trustStore ?? process.env[TRUST_STORE_ENV])
  if (format !== undefined) {
    checkFormat(format, flags.format !== undefined ? '--format' : `config file ${config?.file}`)
  }
  return {
    ...(format !== undefined ? { format } : {}),
    ...(flags.output !== undefined ? { output: flags.output } : {}),
    failOn,
    quiet: flags.quiet ?? false,
    intel: [...(config?.intel ?? []), ...(flags.intel ?? []).map((p) => resolve(p))],
    exclude: [...(config?.exclude ?? []), ...(flags.exclude ?? [])],
    threads: threadsOf(flags.threads) ?? config?.threads ?? Math.max(1, availableParallelism()),
    limits: limitsOf(config, flags),
    cache: {
      enabled: flags.cache ?? config?.cache?.enabled ?? true,
      ...(cacheDir !== undefined ? { dir: cacheDir } : {}),
    },
    ...(suppressions !== undefined ? { suppressionsFile: suppressions } : {}),
    ...(trustStore ? { trustStore } : {}),
  }
}

/** An unknown format is a usage error before the work starts, not after it. */
function checkFormat(format: string, from: string): void {
  if (Object.hasOwn(reporters, format)) return
  throw new UsageError(
    `${from}: unknown format '${format}': use one of ${reporterNames().join(', ')}`,
  )
}

/** The --output file's directory must exist: say so now, not after a long scan. */
async function checkOutputDir(output: string | undefined): Promise<void> {
  if (output === undefined || output === '-') return
  const dir = dirname(resolve(output))
  const st = await stat(dir).catch(() => undefined)
  if (!st?.isDirectory())
    throw new UsageError(`--output ${output}: directory ${dir} does not exist`)
}

/**
 * Everything a command needs before it runs: the config file (when `--config` names one), the
 * merged settings and the suppression entries. Bad config or suppressions throw UsageError.
 */
export async function loadScanSettings(
  flags: ScanFlags,
): Promise<{ settings: ScanSettings; suppressions: SuppressionEntry[]; config?: Config }> {
  // The config and suppressions readers (zod, yaml) are loaded only when a file names them.
  const config =
    flags.config !== undefined
      ? await (await import('./config.js')).loadConfig(flags.config)
      : undefined
  const settings = resolveScanSettings(flags, config)
  await checkOutputDir(settings.output)
  const suppressions = settings.suppressionsFile
    ? await (await import('./suppressions.js')).loadSuppressions(settings.suppressionsFile)
    : []
  return { settings, suppressions, ...(config ? { config } : {}) }
}
