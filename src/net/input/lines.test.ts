import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { MAX_LINE_BYTES, openLog, readLines, readPlainLines } from './lines.js'

describe('line readers', () => {
  it('plain and streamed readers agree across buffer boundaries, CRLF, long lines and no final newline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-lines-'))
    try {
      const parts: string[] = []
      for (let i = 0; i < 120_000; i++)
        parts.push(`${i}\t${'x'.repeat(i % 97)}${i % 13 === 0 ? '\r' : ''}`)
      parts.splice(50_000, 0, 'y'.repeat(MAX_LINE_BYTES + 5))
      const text = `${parts.join('\n')}\nlast line without newline`
      const plain = join(dir, 'a.log')
      writeFileSync(plain, text)
      const gz = join(dir, 'a.log.gz')
      await pipeline(Readable.from([Buffer.from(text)]), createGzip(), createWriteStream(gz))
      const collect = () => {
        const seen: string[] = []
        return {
          seen,
          on: (b: Buffer, s: number, e: number, n: number) =>
            seen.push(`${n}:${b.toString('latin1', s, e)}`),
        }
      }
      const a = collect()
      const sa = await readPlainLines(plain, a.on)
      const b = collect()
      const sb = await readLines(await openLog(gz), b.on)
      expect(sa).toEqual(sb)
      expect(sa.tooLong).toEqual([50_001])
      expect(a.seen).toEqual(b.seen)
      expect(a.seen.length).toBe(120_001)
      expect(a.seen.at(-1)).toBe('120002:last line without newline')
      // a byte range, as the worker threads read it
      const c = collect()
      const start = text.indexOf('\n200\t') + 1
      await readPlainLines(plain, c.on, 1, start, start + 10)
      expect(c.seen).toEqual([`1:200\t${'x'.repeat(200 % 97)}`.slice(0, 12)])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
