import { readFileSync, writeFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { configSchema } from './config.js'
import { suppressionEntrySchema } from './suppressions.js'

/**
 * JSON Schemas of the config and suppressions files, for editors (`"$schema"` in vigil.json, or a
 * YAML language server comment). Generated from the zod schemas that validate them; this test
 * fails when they differ. Refresh: UPDATE_SCHEMAS=1 npx vitest run src/config/schemas.test.ts
 */

// `unrepresentable: 'any'`: a YAML timestamp may reach `expires` as a Date; JSON has only strings.
const OPTS = { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' } as const

function generated(): Record<string, unknown> {
  const entry = z.toJSONSchema(suppressionEntrySchema, OPTS)
  const { $schema: _, ...entryBody } = entry
  return {
    'config.schema.json': {
      ...z.toJSONSchema(configSchema, OPTS),
      $id: 'urn:vigil:schema:config:1',
      title: 'Vigil config file (--config)',
    },
    'suppressions.schema.json': {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:vigil:schema:suppressions:1',
      title: 'Vigil suppressions file (JSON or YAML)',
      description:
        'A list of entries, or { suppressions: [...] }. Each entry also needs at least one of path, component or sha256.',
      anyOf: [
        { type: 'array', items: { $ref: '#/$defs/entry' } },
        {
          type: 'object',
          additionalProperties: false,
          required: ['suppressions'],
          properties: { suppressions: { type: 'array', items: { $ref: '#/$defs/entry' } } },
        },
      ],
      $defs: { entry: entryBody },
    },
  }
}

describe('config and suppressions JSON Schemas', () => {
  it('compile strictly and accept what the parsers accept', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true })
    const [config, suppressions] = Object.values(generated()).map((s) => ajv.compile(s as object))
    expect(config!({ exclude: ['a/**'], limits: { maxFileBytes: '1GiB' }, threads: 2 })).toBe(true)
    expect(config!({ limts: {} })).toBe(false)
    const entry = { ruleId: 'ioc/x', path: 'a/**', reason: 'r', expires: '2027-01-31' }
    expect(suppressions!([entry])).toBe(true)
    expect(suppressions!({ suppressions: [entry] })).toBe(true)
    expect(suppressions!([{ ruleId: 'ioc/x', path: 'a' }])).toBe(false)
  })

  for (const [name, schema] of Object.entries(generated())) {
    it(`schema/${name} matches the zod schema`, () => {
      const url = new URL(`../../schema/${name}`, import.meta.url)
      const text = `${JSON.stringify(schema, null, 2)}\n`
      if (process.env.UPDATE_SCHEMAS) writeFileSync(url, text)
      expect(readFileSync(url, 'utf8')).toBe(text)
    })
  }
})
