/**
 * Splits `[epoch:]main[-suffix]`, the shape Debian (`upstream-revision`) and RPM
 * (`version-release`) versions share: a numeric epoch before the first colon, the suffix after the
 * last dash.
 */
export function splitEpoch(v: string): { epoch: number; main: string; suffix: string } {
  const s = v.trim()
  const colon = s.indexOf(':')
  let epoch = 0
  let rest = s
  if (colon > 0 && /^\d+$/.test(s.slice(0, colon))) {
    epoch = Number(s.slice(0, colon))
    rest = s.slice(colon + 1)
  }
  const dash = rest.lastIndexOf('-')
  if (dash < 0) return { epoch, main: rest, suffix: '' }
  return { epoch, main: rest.slice(0, dash), suffix: rest.slice(dash + 1) }
}
