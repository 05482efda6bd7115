/** Zeek writes non-printable bytes as `\xNN`; undo it for strings we match on. */
export function unescapeZeek(text: string): string {
  if (!text.includes('\\x')) return text
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  )
}

/** `#separator \x09` → a tab. */
export function headerValue(text: string): string {
  return unescapeZeek(text)
}
