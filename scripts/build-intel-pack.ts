/**
 * Builds the bundled intel pack from its readable source:
 *   intel/source/*.yaml  →  intel/pack/vigil-pack.ndjson
 * Run with `npm run intel:build`; commit the source and the built pack together.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildPack } from '../src/intel/pack.js'

const root = join(import.meta.dirname, '..')
const out = join(root, 'intel', 'pack', 'vigil-pack.ndjson')
const text = await buildPack(join(root, 'intel', 'source'))
await mkdir(join(root, 'intel', 'pack'), { recursive: true })
await writeFile(out, text)
process.stdout.write(`${out}: ${text.split('\n').length - 2} records\n`)
