/** Child process for the kill-mid-update test: `update-child.fixture.ts STORE BUNDLE KEY.pub`. */
import { loadTrustedKeys } from './signing.js'
import { updateStore } from './update.js'

const [storeDir = '', from = '', key = ''] = process.argv.slice(2)
process.stdout.write('start\n')
await updateStore({ storeDir, from, keys: await loadTrustedKeys(storeDir, [key]) })
process.stdout.write('done\n')
