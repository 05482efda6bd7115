// The collector alone (walk, unpack, hash, identify) with the IOC detectors: `scan()` from the
// built library, no catalogers and no other detector. Used by bench/scan.sh when
// VIGIL_BENCH_CORE=1, to tell the pipeline's own cost from the layers plugged into it.
// Usage: node bench/scan-core.mjs TREE CACHE_DIR OUTPUT_JSON
import { writeFile } from 'node:fs/promises'
import { loadIntel } from '../dist/intel/load.js'
import { scan } from '../dist/scan/scan.js'

const [tree, cacheDir, output] = process.argv.slice(2)
const { intel } = await loadIntel({})
const report = await scan({
  paths: [tree],
  intel,
  plugins: ['ioc/file-hash', 'ioc/file-name'],
  cache: { dir: cacheDir },
})
await writeFile(output, JSON.stringify(report))
