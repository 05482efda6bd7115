import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { z } from 'zod'
import { errorMessage, UsageError } from '../core/errors.js'
import { DEFAULT_LIMITS, type Limits } from '../core/limits.js'
import { SEVERITIES } from '../core/types.js'
import { describeIssues } from './issues.js'
import { parseSize } from './size.js'

const size = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = parseSize(v)
  if (n === undefined) {
    ctx.addIssue({ code: 'custom', message: `'${v}' is not a size (e.g. 4096, 512MiB, 4GiB)` })
    return z.NEVER
  }
  return n
})

const count = z.number().finite().nonnegative()

/** One optional entry per `Limits` field: sizes for `…Bytes`, plain numbers for the rest. */
const limitsSchema = z.strictObject(
  Object.fromEntries(
    Object.keys(DEFAULT_LIMITS).map((k) => [k, (k.endsWith('Bytes') ? size : count).optional()]),
  ) as Record<keyof Limits, z.ZodOptional<typeof size | typeof count>>,
)

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Globs (picomatch, matched against report paths) of files and dirs not to scan. */
  exclude: z.array(z.string().min(1)).optional(),
  limits: limitsSchema.optional(),
  /** Extra intel files or directories, relative to the config file. */
  intel: z.array(z.string().min(1)).optional(),
  threads: z.number().int().min(1).max(256).optional(),
  failOn: z.enum([...SEVERITIES, 'none']).optional(),
  format: z.string().min(1).optional(),
  cache: z
    .strictObject({ enabled: z.boolean().optional(), dir: z.string().min(1).optional() })
    .optional(),
  /** Suppressions file (JSON or YAML), relative to the config file. */
  suppressions: z.string().min(1).optional(),
  /** Directory of PEM root certificates trusted for signature chains, relative to the config file. */
  trustStore: z.string().min(1).optional(),
})

export type ConfigFile = z.infer<typeof configSchema>

/** A validated config with its paths made absolute against the config file's directory. */
export interface Config extends Omit<ConfigFile, 'limits' | '$schema'> {
  /** The file it came from (absolute). */
  file: string
  limits?: Partial<Limits>
}

/** Validates a parsed config document; `file` names it in errors and anchors relative paths. */
export function parseConfig(doc: unknown, file: string): Config {
  const abs = resolve(file)
  const parsed = configSchema.safeParse(doc)
  if (!parsed.success) {
    throw new UsageError(`config file ${file}: ${describeIssues(parsed.error).join('; ')}`)
  }
  const { $schema: _, ...c } = parsed.data
  const base = dirname(abs)
  return {
    ...c,
    file: abs,
    ...(c.limits ? { limits: c.limits as Partial<Limits> } : {}),
    ...(c.intel ? { intel: c.intel.map((p) => resolve(base, p)) } : {}),
    ...(c.suppressions ? { suppressions: resolve(base, c.suppressions) } : {}),
    ...(c.trustStore ? { trustStore: resolve(base, c.trustStore) } : {}),
    ...(c.cache?.dir ? { cache: { ...c.cache, dir: resolve(base, c.cache.dir) } } : {}),
  }
}

/** Reads and validates a JSON config file. Any failure is a UsageError naming the file (exit 2). */
export async function loadConfig(file: string): Promise<Config> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read config file ${file}: ${errorMessage(err)}`)
  }
  return parseConfigText(text, file)
}

/** Parses and validates config text (JSON). */
export function parseConfigText(text: string, file: string): Config {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw new UsageError(`config file ${file}: not valid JSON: ${errorMessage(err)}`)
  }
  return parseConfig(doc, file)
}
