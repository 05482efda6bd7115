import { makeFinding } from '../core/finding-id.js'
import type { Detector, FinishContext } from '../core/plugin.js'
import type { BinarySummary, Finding } from '../core/types.js'

const NAME = 'structure/side-loading'
const RULE = 'structure/unsigned-module-beside-signed-exe'
const VALID = new Set(['valid', 'valid-untrusted-root'])

/**
 * The DLL side-loading set-up: a signed main EXE with an unsigned, badly signed or foreign-signed
 * DLL in the same directory, which the EXE loads before the system copy. Low on its own (many
 * applications ship such DLLs); a corroborating reason for correlation.
 */
export function sideLoadingDetector(): Detector {
  return {
    name: NAME,
    version: 1,
    layer: 'structure',
    async finish(ctx: FinishContext): Promise<Finding[]> {
      const findings: Finding[] = []
      for (const [dir, list] of byDirectory(ctx.binaries)) {
        const exes = list.filter((b) => isKind(b, 'exe') && VALID.has(b.signature ?? ''))
        if (exes.length === 0) continue
        const signers = new Set(exes.map((e) => e.signerThumbprint ?? e.signer))
        for (const dll of list.filter((b) => isKind(b, 'dll'))) {
          const reason = whyOdd(dll, signers)
          if (reason) findings.push(finding(dir, dll, exes[0]!, reason))
        }
      }
      return findings
    },
  }
}

function isKind(b: BinarySummary, kind: 'exe' | 'dll'): boolean {
  if (b.format !== 'pe') return false
  if (b.kind === kind) return true
  return b.kind === undefined && b.path.toLowerCase().endsWith(`.${kind}`)
}

function whyOdd(dll: BinarySummary, exeSigners: Set<unknown>): string | undefined {
  const state = dll.signature ?? 'unsigned'
  if (state === 'unsigned') return 'unsigned'
  if (!VALID.has(state)) return `signature ${state}`
  if (!exeSigners.has(dll.signerThumbprint ?? dll.signer))
    return `signed by ${dll.signer ?? 'another signer'}`
  return undefined
}

function byDirectory(binaries: readonly BinarySummary[]): Map<string, BinarySummary[]> {
  const map = new Map<string, BinarySummary[]>()
  for (const b of binaries) {
    const cut = b.path.lastIndexOf('/')
    const dir = cut < 0 ? '' : b.path.slice(0, cut)
    map.set(dir, [...(map.get(dir) ?? []), b])
  }
  return map
}

function finding(dir: string, dll: BinarySummary, exe: BinarySummary, reason: string): Finding {
  const name = dll.path.slice(dll.path.lastIndexOf('/') + 1)
  const exeName = exe.path.slice(exe.path.lastIndexOf('/') + 1)
  return makeFinding({
    ruleId: RULE,
    detector: NAME,
    layer: 'structure',
    severity: 'low',
    confidence: 'medium',
    title: 'Unsigned or foreign-signed DLL beside a signed executable',
    message:
      `${name} (${reason}) sits beside ${exeName}, signed by ${exe.signer ?? 'a signer'}, in ` +
      `${dir || 'the scan root'}; a DLL there is loaded before the system copy, the set-up DLL ` +
      'side-loading relies on (3CX: ffmpeg.dll beside 3CXDesktopApp.exe).',
    locations: [{ path: dll.path }, { path: exe.path }],
    evidence: [
      {
        kind: 'side-loading',
        dll: dll.path,
        dllSignature: dll.signature ?? 'unsigned',
        dllSigner: dll.signer,
        exe: exe.path,
        exeSigner: exe.signer,
        exeSignerSha256: exe.signerThumbprint,
      },
    ],
  })
}
