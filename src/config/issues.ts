import type { z } from 'zod'

/** One line per problem: `key 'limits.maxArchiveDepth': expected an integer ≥ 0`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.map(String).join('.')
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => (where ? `${where}.${k}` : k))
      return `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}`
    }
    return `${where ? `key '${where}'` : 'document'}: ${issue.message}`
  })
}
