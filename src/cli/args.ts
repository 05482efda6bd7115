import type { ArgsDef } from 'citty'
import { UsageError } from '../core/errors.js'
import { isSeverity } from '../core/severity.js'
import type { Severity } from '../core/types.js'

/** Flags every report-producing command shares (BRIEF §3). */
export const COMMON_ARGS = {
  format: {
    type: 'string',
    description: 'table | json | sarif | cyclonedx (default: table on a TTY, json otherwise)',
  },
  output: { type: 'string', alias: 'o', description: 'write the report to FILE instead of stdout' },
  'fail-on': {
    type: 'string',
    description: 'critical | high | medium | low | none: exit 1 at or above (default high)',
  },
  intel: {
    type: 'string',
    description: 'extra intel file or directory, any supported format (repeatable)',
  },
  config: { type: 'string', description: 'config file (JSON)' },
  quiet: { type: 'boolean', description: 'no progress, no summary on stderr' },
} as const satisfies ArgsDef

/** All values of a repeatable flag (`--intel a --intel b` or `--intel=a`). */
export function repeated(rawArgs: readonly string[], flag: string): string[] {
  const out: string[] = []
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i]!
    if (a === flag && i + 1 < rawArgs.length) out.push(rawArgs[++i]!)
    else if (a.startsWith(`${flag}=`)) out.push(a.slice(flag.length + 1))
  }
  return out
}

export function parseFailOn(value: string | undefined): Severity | 'none' {
  if (value === undefined) return 'high'
  if (value === 'none' || isSeverity(value)) return value
  throw new UsageError(`--fail-on must be critical, high, medium, low or none, not '${value}'`)
}
