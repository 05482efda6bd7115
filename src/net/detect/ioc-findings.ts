import { makeFinding } from '../../core/finding-id.js'
import type { Finding, Location } from '../../core/types.js'
import { isoOf } from '../input/time.js'
import type { Contact } from './ioc-collector.js'

/** One finding per (indicator, source host) that the logs show in contact. */
export function iocFinding(c: Contact, pathOf: (file: number) => string): Finding {
  const ind = c.indicator
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
    severity: ind.severity,
    confidence: ind.confidence,
    title: `Contact with known-bad ${ind.type} ${ind.value}`,
    message:
      `${who} ${[...c.via].sort().join(', ')} ${observed.slice(0, 3).join(', ')}` +
      `${observed.length > 3 ? ' …' : ''}: ${c.count} time(s) from ${isoOf(c.first)} to ${isoOf(c.last)}; ` +
      `intel ${ind.source}/${ind.id}${ind.description ? ` (${ind.description})` : ''}.`,
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
      },
    ],
    ...(ind.references.length ? { references: ind.references } : {}),
    ...(Object.keys(context).length ? { context } : {}),
  })
}
