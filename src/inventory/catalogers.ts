import type { Cataloger } from '../core/plugin.js'

/** Every cataloger, in one explicit list. Catalogers are independent of one another. */
export function createCatalogers(): Cataloger[] {
  return []
}
