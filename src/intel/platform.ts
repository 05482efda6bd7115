import type { FileType } from '../core/artifact.js'

export type Platform = 'windows' | 'macos' | 'linux'

/**
 * The platform an indicator's `platform` names, or undefined when it names none for sure. Accepts
 * the usual spellings, optionally with an architecture suffix (`linux-x86_64`, `windows-x64`);
 * anything else (`any`, `source`, `macos/unknown`) names none.
 */
export function platformOf(value: string | undefined): Platform | undefined {
  const m = /^(windows|win32|win64|win|macos|macosx|osx|darwin|linux)(?:[-_][a-z0-9_]+)?$/.exec(
    value?.trim().toLowerCase() ?? '',
  )
  if (!m) return undefined
  const name = m[1]!
  if (name.startsWith('win')) return 'windows'
  return name === 'linux' ? 'linux' : 'macos'
}

/** Executable formats a sample of each platform cannot be. */
const FOREIGN_FORMATS: Record<Platform, readonly FileType[]> = {
  windows: ['elf', 'macho', 'macho-fat'],
  macos: ['pe', 'elf'],
  linux: ['pe', 'macho', 'macho-fat'],
}

/** True when a file of this type cannot be a sample of the indicator's platform. */
export function foreignToPlatform(platform: string | undefined, type: FileType): boolean {
  const p = platformOf(platform)
  return p !== undefined && FOREIGN_FORMATS[p].includes(type)
}
