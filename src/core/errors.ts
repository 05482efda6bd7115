/** Bad flags, config or input named by the user: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** An input could not be read or parsed; becomes a Problem, never a crash. */
export class InputError extends Error {
  override name = 'InputError'
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message)
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
