import { readFileSync } from 'node:fs'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020

/** JavaScript has no inline `(?i)`: the pattern's `(?i)` becomes the `i` flag. */
function regExp(pattern: string, flags?: string): RegExp {
  if (pattern.includes('(?i)')) return new RegExp(pattern.replace('(?i)', ''), `${flags ?? ''}i`)
  return new RegExp(pattern, flags)
}
regExp.code = 'new RegExp'

/** The official OASIS SARIF 2.1.0 schema (schema/third-party), compiled with ajv. */
export function sarifValidator(): ValidateFunction {
  const url = new URL('../../../schema/third-party/sarif-schema-2.1.0.json', import.meta.url)
  const schema = JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false, code: { regExp } })
  return addFormats(ajv).compile(schema)
}
