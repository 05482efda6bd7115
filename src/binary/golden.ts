/**
 * Golden-file comparison for parser tests: `value` serialised as readable JSON (byte arrays as hex)
 * must equal the committed `*.golden.json`; with `UPDATE_GOLDEN=1` the file is rewritten instead.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export function goldenJson(value: unknown): string {
  const json = JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (v instanceof Uint8Array) return { hex: Buffer.from(v).toString('hex') }
      if (v instanceof Date)
        return { date: Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString() }
      return v
    },
    2,
  )
  return `${json}\n`
}

/** Returns [actual, expected] for `expect(actual).toBe(expected)`. */
export function golden(file: string, value: unknown): [string, string] {
  const actual = goldenJson(value)
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, actual)
  }
  return [actual, readFileSync(file, 'utf8')]
}
