import { validate } from '@litko/yara-x'
import type { YaraRuleRecord } from '../records.js'
import { IntelFormatError } from './types.js'

/** Rule names declared in a YARA source, in order. */
export function yaraRuleNames(text: string): string[] {
  const names: string[] = []
  const re = /(?:^|\n)[ \t]*(?:(?:private|global)\s+)*rule\s+([A-Za-z_]\w*)/g
  for (let m = re.exec(text); m; m = re.exec(text)) names.push(m[1]!)
  return names
}

/**
 * Checks a YARA source by compiling it with YARA-X; the first error names the file, line and
 * column. Returns one record holding the whole file.
 */
export function importYara(text: string, file: string, source: string): YaraRuleRecord {
  checkYara(text, file)
  const names = yaraRuleNames(text)
  return {
    kind: 'yara',
    id: `${source}:${names[0] ?? 'rules'}${names.length > 1 ? `+${names.length - 1}` : ''}`,
    source,
    confidence: 'medium',
    references: [],
    description: `YARA rules: ${names.join(', ')}`,
    text,
    file,
  }
}

export function checkYara(text: string, file: string): void {
  const result = validate(text)
  const err = result.errors[0]
  if (!err) return
  const at = /-->\s*[^\n]*?:(\d+):(\d+)/.exec(err.message)
  const line = err.line ?? (at ? Number(at[1]) : undefined)
  const column = err.column ?? (at ? Number(at[2]) : undefined)
  const where = line ? `line ${line}${column ? `, column ${column}` : ''}` : ''
  const first = err.message.split('\n')[0]?.replace(/^error\[\w+\]:\s*/, '') ?? err.message
  throw new IntelFormatError(file, where, `YARA: ${first}`)
}
