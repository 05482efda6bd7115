/**
 * Worker thread of the parallel conn.log reader: aggregates one byte range of a plain Zeek TSV
 * conn.log and posts its IP pairs back as packed typed arrays (see parallel.ts).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { buildIntel } from '../intel/build-index.js'
import { Aggregator } from './aggregate.js'
import { IocCollector } from './detect/ioc-collector.js'
import { readPlainLines } from './input/lines.js'
import { createZeekTsvReader } from './input/zeek-tsv.js'
import type { RangeJob } from './parallel.js'
import { packPairs } from './parallel.js'

async function run(job: RangeJob): Promise<void> {
  const agg = new Aggregator(new IocCollector(buildIntel([], [])))
  const reader = createZeekTsvReader(agg, job.file)
  const header = Buffer.from(job.header)
  let pos = 0
  for (;;) {
    const nl = header.indexOf(10, pos)
    if (nl < 0) break
    reader(header, pos, nl, 0)
    pos = nl + 1
  }
  const stats = await readPlainLines(job.path, reader, 1, job.start, job.end)
  agg.flush()
  const packed = packPairs(agg, stats.lines, stats.tooLong)
  parentPort!.postMessage(packed, [
    packed.meta.buffer,
    packed.ts.buffer,
    packed.bytes.buffer,
    packed.offsets.buffer,
  ] as ArrayBuffer[])
}

run(workerData as RangeJob).catch((err: unknown) => {
  parentPort!.postMessage({ error: String((err as Error)?.message ?? err) })
})
