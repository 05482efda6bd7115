import { makeFinding } from '../../core/finding-id.js'
import type { Finding, Location } from '../../core/types.js'
import { isoOf } from '../input/time.js'
import type { Contact } from './ioc-collector.js'

/** Contacts this long before an indicator's first-seen date predate its malicious use. */
export const BEFORE_FIRST_SEEN_MARGIN = 30 * 86_400

/**
 * Did every contact happen well before the indicator turned bad (a domain that changed hands,
 * like polyfill.io in 2024)? Then it is context, not a hit.
 */
export function predatesIndicator(c: Contact): boolean {
  const first = c.indicator.firstSeen ? Date.parse(c.indicator.firstSeen) / 1000 : Number.NaN
  return (
    Number.isFinite(first) && Number.isFinite(c.last) && c.last < first - BEFORE_FIRST_SEEN_MARGIN
  )
}

/** One finding per (indicator, source host) that the logs show in contact. */
export function iocFinding(c: Contact, pathOf: (file: number) => string): Finding {
  const ind = c.indicator
  const early = predatesIndicator(c)
  const who = c.src || 'a host (certificate seen on the wire)'
  const observed = [...c.observed].sort()
  const locations: Location[] = c.locations.map((l) => ({ path: pathOf(l.file), line: l.line }))
  const context = {
    ...(ind.campaign ? { campaign: ind.campaign } : {}),
    ...(ind.actor ? { actor: ind.actor } : {}),
    ...(ind.malware ? { malware: ind.malware } : {}),
  }
  return makeFinding({
    ruleId: `net/ioc-${ind.type}`,
    detector: 'net/ioc-contact',
    layer: 'network',
    severity: early ? 'info' : ind.severity,
    confidence: early ? 'low' : ind.confidence,
    title: `Contact with known-bad ${ind.type} ${ind.value}`,
    message:
      `${who} ${[...c.via].sort().join(', ')} ${observed.slice(0, 3).join(', ')}` +
      `${observed.length > 3 ? ' …' : ''}: ${c.count} time(s) from ${isoOf(c.first)} to ${isoOf(c.last)}; ` +
      `intel ${ind.source}/${ind.id}${ind.description ? ` (${ind.description})` : ''}` +
      `${early ? `; every contact predates the indicator's first-seen date ${ind.firstSeen}, so it is shown as context only` : ''}.`,
    locations,
    evidence: [
      {
        kind: 'ioc-contact',
        indicator: { id: ind.id, source: ind.source, type: ind.type, value: ind.value },
        src: c.src,
        observed,
        via: [...c.via].sort(),
        count: c.count,
        firstSeen: isoOf(c.first),
        lastSeen: isoOf(c.last),
        indicatorFirstSeen: ind.firstSeen ?? null,
        predatesIndicator: early,
      },
    ],
    ...(ind.references.length ? { references: ind.references } : {}),
    ...(Object.keys(context).length ? { context } : {}),
  })
}
