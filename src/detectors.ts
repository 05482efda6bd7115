import { advisoryDetector } from './advisory/detector.js'
import type { Detector } from './core/plugin.js'
import { fileHashDetector } from './ioc/file-hash.js'
import { fileNameDetector } from './ioc/file-name.js'
import { yaraDetector } from './rules/detector.js'
import { elfSummaryDetector } from './structure/elf-summary.js'
import { machoBundleDetector } from './structure/macho-bundle.js'
import { machoMixedSignersDetector } from './structure/macho-mixed-signers.js'
import { machoOverlayDetector } from './structure/macho-overlay.js'
import { machoSignatureDetector } from './structure/macho-signature.js'
import { peCertPaddingDetector } from './structure/pe-cert-padding.js'
import { peOverlayDetector } from './structure/pe-overlay.js'
import { peSignatureDetector } from './structure/pe-signature.js'
import { sideLoadingDetector } from './structure/side-loading.js'

/**
 * Every detector, in one explicit list (no self-registration). Order does not matter:
 * detectors are independent and never import each other.
 */
export function createDetectors(): Detector[] {
  return [
    advisoryDetector,
    fileHashDetector,
    fileNameDetector,
    machoSignatureDetector(),
    elfSummaryDetector,
    machoOverlayDetector(),
    machoBundleDetector(),
    machoMixedSignersDetector(),
    peSignatureDetector(),
    peCertPaddingDetector(),
    peOverlayDetector(),
    sideLoadingDetector(),
    yaraDetector(),
  ]
}
