import { defineCommand } from 'citty'
import { COMMON_ARGS } from '../args.js'

export default defineCommand({
  meta: {
    name: 'intel',
    description: 'inventory + all static layers over files, dirs, archives, SBOM files',
  },
  args: {
    ...COMMON_ARGS,
    paths: { type: 'positional', description: 'files or directories', required: true },
  },
  run: () => 3,
})
