/**
 * The bytes of `text` when it is canonical base64 (RFC 4648 alphabet, correct `=` padding, no
 * whitespace or other characters); `undefined` otherwise. Node's own decoder skips junk silently.
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Unused low bits in the last character must be zero, so one key has exactly one spelling.
  return bytes.toString('base64') === text ? bytes : undefined;
}
