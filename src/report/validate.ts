import { readFileSync } from 'node:fs'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { Report } from '../core/types.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020

/** The report's JSON Schema (schema/report.schema.json), from beside src/ or dist/. */
export function reportSchema(): Record<string, unknown> {
  const url = new URL('../../schema/report.schema.json', import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>
}

let compiled: ValidateFunction | undefined

/** Checks a parsed document against the report schema; errors as `/findings/0/severity: …` lines. */
export function validateReport(
  doc: unknown,
): { ok: true; report: Report } | { ok: false; errors: string[] } {
  compiled ??= addFormats(new Ajv2020({ allErrors: true, strict: true })).compile(reportSchema())
  if (compiled(doc)) return { ok: true, report: doc as Report }
  return { ok: false, errors: formatErrors(compiled.errors ?? []) }
}

export function formatErrors(errors: readonly ErrorObject[]): string[] {
  return errors.map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`)
}
