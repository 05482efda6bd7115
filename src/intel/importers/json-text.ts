import { IntelFormatError } from './types.js'

/** JSON.parse with an error that names the file, line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    const message = (err as Error).message
    const pos = /position (\d+)/.exec(message)
    const where = pos ? lineColumn(text, Number(pos[1])) : ''
    throw new IntelFormatError(file, where, `invalid JSON (${message.replace(/\s*\(line.*$/, '')})`)
  }
}

export function lineColumn(text: string, index: number): string {
  let line = 1
  let start = 0
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    line++
    start = i + 1
  }
  return `line ${line}, column ${index - start + 1}`
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Reads a required string at `path` of `obj`, or throws naming the JSON path. */
export function str(obj: Record<string, unknown>, key: string, file: string, path: string): string {
  const v = obj[key]
  if (typeof v !== 'string' || v === '') {
    throw new IntelFormatError(file, `${path}.${key}`, 'expected a non-empty string')
  }
  return v
}

export function optStr(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key]
  return typeof v === 'string' && v !== '' ? v : undefined
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}
