import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeStrictBase64 } from '@rhx/config';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * AES-256-GCM for stored credentials. Output is base64 of iv ‖ tag ‖ ciphertext; a fresh random IV
 * per message, and the full 16-byte tag makes tampering or a wrong key fail loudly instead of
 * yielding garbage. The key is exactly 32 bytes written in canonical base64.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    const key = decodeStrictBase64(base64Key);
    if (key?.length !== KEY_BYTES) throw new Error('SETTINGS_ENCRYPTION_KEY must be 32 bytes in standard base64');
    this.key = key;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
  }

  /** @throws Error when the sealed text is malformed, truncated, tampered with or sealed under another key. */
  open(sealed: string): string {
    const raw = decodeStrictBase64(sealed);
    if (!raw || raw.length < IV_BYTES + TAG_BYTES) throw new Error('stored credentials are not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
