import { makeFinding } from '../core/finding-id.js'
import type { Detector, FinishContext } from '../core/plugin.js'
import type { BinarySummary, Finding } from '../core/types.js'

const RULE = 'structure/mixed-signers-in-app'
const NAME = 'structure/macho-mixed-signers'

/**
 * Code inside one .app signed by different teams. A notarised app normally signs all its nested
 * code with its own Developer ID; a foreign team's dylib beside the vendor's executable is how a
 * swapped library looks when the attacker re-signed it with another certificate.
 */
export function machoMixedSignersDetector(): Detector {
  return {
    name: NAME,
    version: 1,
    layer: 'structure',
    async finish(ctx: FinishContext): Promise<Finding[]> {
      const apps = new Map<string, BinarySummary[]>()
      for (const b of ctx.binaries) {
        const app = appRoot(b.path)
        if (b.format !== 'macho' || app === undefined || typeof b.teamId !== 'string') continue
        if (b.signature === 'adhoc' || b.signature === 'unsigned') continue
        const list = apps.get(app)
        if (list) list.push(b)
        else apps.set(app, [b])
      }
      return [...apps].flatMap(([app, list]) => mixed(app, list))
    },
  }
}

/**
 * The outermost `X.app/` prefix of a report path; `''` when the scan target is the bundle itself
 * (paths start at `Contents/`); undefined outside an app bundle.
 */
export function appRoot(path: string): string | undefined {
  const m = /^(.*?\.app\/)/.exec(path)
  if (m) return m[1]
  return path.startsWith('Contents/') ? '' : undefined
}

function mixed(app: string, list: BinarySummary[]): Finding[] {
  const byTeam = new Map<string, Set<string>>()
  for (const b of list) {
    const team = String(b.teamId)
    const paths = byTeam.get(team) ?? new Set<string>()
    paths.add(b.path)
    byTeam.set(team, paths)
  }
  if (byTeam.size < 2) return []
  const main = list.find(
    (b) => b.path.startsWith(app) && /^Contents\/MacOS\/[^/]+$/.test(b.path.slice(app.length)),
  )
  const mainTeam = main ? String(main.teamId) : undefined
  const teams = [...byTeam.keys()].sort()
  const foreign = [...byTeam]
    .filter(([t]) => t !== mainTeam)
    .flatMap(([, p]) => [...p])
    .sort()
  return [
    makeFinding({
      ruleId: RULE,
      detector: NAME,
      layer: 'structure',
      severity: 'medium',
      confidence: 'medium',
      title: 'Code signed by different teams inside one app',
      message: `${app || 'The scanned app'} holds code signed by ${teams.length} team IDs (${teams.join(', ')})${mainTeam ? `; the main executable is team ${mainTeam}` : ''}. Check that ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''} really comes from that vendor.`,
      locations: foreign.slice(0, 20).map((path) => ({ path })),
      evidence: [
        {
          kind: 'mixed-signers',
          app,
          ...(main ? { mainExecutable: main.path, mainTeam } : {}),
          teams: Object.fromEntries(
            teams.map((t) => [
              t,
              {
                files: [...(byTeam.get(t) ?? [])].sort().slice(0, 50),
                signer: list.find((b) => b.teamId === t)?.signer,
              },
            ]),
          ),
        },
      ],
    }),
  ]
}
