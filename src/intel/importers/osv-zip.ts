import yauzl from 'yauzl'
import type { AdvisoryRecord } from '../records.js'
import { parseJsonText } from './json-text.js'
import { importOsv } from './osv.js'
import { IntelFormatError } from './types.js'

/** Bounds for an OSV database dump (`all.zip` of one ecosystem). */
const MAX_ENTRIES = 500_000
const MAX_ENTRY_BYTES = 16 * 1024 * 1024
const MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024

/** Every `*.json` member of an OSV zip dump, each one OSV record (or an array). */
export async function importOsvZip(
  bytes: Buffer,
  file: string,
  source: string,
): Promise<AdvisoryRecord[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, strictFileNames: false }, (err, z) =>
      err || !z
        ? reject(new IntelFormatError(file, '', `not a readable zip (${err?.message})`))
        : resolve(z),
    ),
  )
  const out: AdvisoryRecord[] = []
  let entries = 0
  let total = 0
  return new Promise((resolve, reject) => {
    const fail = (err: unknown) => {
      zip.close()
      reject(err instanceof IntelFormatError ? err : new IntelFormatError(file, '', String(err)))
    }
    zip.on('error', fail)
    zip.on('end', () => resolve(out))
    zip.on('entry', (entry: yauzl.Entry) => {
      if (++entries > MAX_ENTRIES) return fail(new IntelFormatError(file, '', 'too many members'))
      const name = entry.fileName
      if (name.endsWith('/') || !name.toLowerCase().endsWith('.json')) return zip.readEntry()
      if (entry.uncompressedSize > MAX_ENTRY_BYTES) {
        return fail(new IntelFormatError(file, name, 'member larger than 16 MiB'))
      }
      total += entry.uncompressedSize
      if (total > MAX_TOTAL_BYTES)
        return fail(new IntelFormatError(file, name, 'over 4 GiB expanded'))
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return fail(err)
        const chunks: Buffer[] = []
        let size = 0
        stream.on('data', (c: Buffer) => {
          size += c.length
          if (size > MAX_ENTRY_BYTES) stream.destroy(new Error(`${name}: member over 16 MiB`))
          else chunks.push(c)
        })
        stream.on('error', fail)
        stream.on('end', () => {
          try {
            const member = `${file}!/${name}`
            out.push(
              ...importOsv(
                parseJsonText(Buffer.concat(chunks).toString('utf8'), member),
                member,
                source,
              ),
            )
            zip.readEntry()
          } catch (e) {
            fail(e)
          }
        })
      })
    })
    zip.readEntry()
  })
}
