import type { Detector } from './core/plugin.js'
import type { Registered } from './core/registered.js'

/**
 * Every detector, in one explicit list (no self-registration). Each entry names its detector and
 * loads its module only when asked for, so a scan thread running some layers does not load (and
 * compile) the others. Order does not matter: detectors are independent and never import each
 * other. The names are checked against the loaded detectors by a test.
 */
export const DETECTORS: readonly Registered<Detector>[] = [
  {
    name: 'advisory/osv-match',
    load: async () => (await import('./advisory/detector.js')).advisoryDetector,
  },
  {
    name: 'ioc/file-hash',
    load: async () => (await import('./ioc/file-hash.js')).fileHashDetector,
  },
  {
    name: 'ioc/file-name',
    load: async () => (await import('./ioc/file-name.js')).fileNameDetector,
  },
  {
    name: 'structure/macho-signature',
    load: async () => (await import('./structure/macho-signature.js')).machoSignatureDetector(),
  },
  {
    name: 'structure/elf',
    load: async () => (await import('./structure/elf-summary.js')).elfSummaryDetector,
  },
  {
    name: 'structure/macho-overlay',
    load: async () => (await import('./structure/macho-overlay.js')).machoOverlayDetector(),
  },
  {
    name: 'structure/macho-bundle',
    load: async () => (await import('./structure/macho-bundle.js')).machoBundleDetector(),
  },
  {
    name: 'structure/macho-mixed-signers',
    load: async () =>
      (await import('./structure/macho-mixed-signers.js')).machoMixedSignersDetector(),
  },
  {
    name: 'structure/pe-signature',
    load: async () => (await import('./structure/pe-signature.js')).peSignatureDetector(),
  },
  {
    name: 'structure/cert-padding',
    load: async () => (await import('./structure/pe-cert-padding.js')).peCertPaddingDetector(),
  },
  {
    name: 'structure/pe-overlay',
    load: async () => (await import('./structure/pe-overlay.js')).peOverlayDetector(),
  },
  {
    name: 'structure/side-loading',
    load: async () => (await import('./structure/side-loading.js')).sideLoadingDetector(),
  },
  { name: 'rule/yara', load: async () => (await import('./rules/detector.js')).yaraDetector() },
]
