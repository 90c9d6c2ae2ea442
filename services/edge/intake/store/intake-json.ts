/** A fault's context or an event's details as its JSON column holds it: null when the box sent none. */
export function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** The column read back: undefined when the box sent none, as it arrived. */
export function parseJson(text: string | null): Record<string, unknown> | undefined {
  return text === null ? undefined : (JSON.parse(text) as Record<string, unknown>);
}
