// What this machine can do at best on the scan bench's tree, for the issue-2 throughput goal:
// every file read in 1 MiB chunks and hashed with SHA-256 and MD5 (what the bundled intel makes
// `vigil scan` compute), on one thread per core, no archive unpacked, nothing else. `vigil scan`
// does all of this and more (275,145 artifacts instead of 67,189 files, members inflated, every
// layer), so the ratio printed here is a ceiling for the one bench/scan.sh prints.
// Usage: node bench/hash-floor.mjs [TREE] [--sha256-only]   (the page cache should be warm)
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { closeSync, openSync, readdirSync, readSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'

const CHUNK = 1024 * 1024

function hashFiles(files, kinds) {
  const buf = Buffer.allocUnsafe(CHUNK)
  let bytes = 0
  for (const f of files) {
    const fd = openSync(f, 'r')
    const hs = kinds.map((k) => createHash(k))
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null)
      if (n === 0) break
      for (const h of hs) h.update(buf.subarray(0, n))
      bytes += n
    }
    for (const h of hs) h.digest()
    closeSync(fd)
  }
  return bytes
}

function listFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) listFiles(p, out)
    else if (e.isFile()) out.push(p)
  }
  return out
}

if (!isMainThread) {
  parentPort.postMessage(hashFiles(workerData.files, workerData.kinds))
} else {
  const tree = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '/tmp/vigil-bench-tree'
  const kinds = process.argv.includes('--sha256-only') ? ['sha256'] : ['sha256', 'md5']
  const threads = availableParallelism()
  const sha256sum = () => {
    const t = performance.now()
    execFileSync('sh', ['-c', 'find "$1" -type f -exec sha256sum {} + >/dev/null', 'sh', tree])
    return (performance.now() - t) / 1000
  }
  const floor = async () => {
    const t = performance.now()
    const files = listFiles(tree)
    // Round-robin: each thread gets a share of big and small files alike.
    const shares = Array.from({ length: threads }, (_, i) =>
      files.filter((_, j) => j % threads === i),
    )
    const bytes = await Promise.all(
      shares.map(
        (share) =>
          new Promise((resolve, reject) => {
            const w = new Worker(new URL(import.meta.url), { workerData: { files: share, kinds } })
            w.once('message', resolve)
            w.once('error', reject)
          }),
      ),
    )
    return { secs: (performance.now() - t) / 1000, bytes: bytes.reduce((a, b) => a + b, 0) }
  }
  const s1 = sha256sum()
  const f = await floor()
  const s2 = sha256sum()
  const sha = (s1 + s2) / 2
  const mib = (b, s) => (b / s / 1048576).toFixed(0)
  console.log(`sha256sum (mean of 2):        ${sha.toFixed(2)} s  ${mib(f.bytes, sha)} MiB/s`)
  console.log(
    `read + ${kinds.join(' + ')} on ${threads} threads: ${f.secs.toFixed(2)} s  ${mib(f.bytes, f.secs)} MiB/s`,
  )
  console.log(`ratio: ${(sha / f.secs).toFixed(2)}x  (issue 2 goal for vigil scan: >= 2.0x)`)
}
