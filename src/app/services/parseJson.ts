/** The JSON value of a log entry's body (UTF-8), or undefined when it is not JSON: log bodies come from other devices. */
export function parseJson<T>(body: Uint8Array): T | undefined {
  try {
    return JSON.parse(new TextDecoder().decode(body)) as T;
  } catch {
    return undefined;
  }
}
