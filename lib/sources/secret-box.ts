import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Encrypts an event source's API key or password at rest: AES-256-GCM with a key derived by
 * HKDF-SHA256 from the app secret (BETTER_AUTH_SECRET), a fresh 96-bit IV per value, and the
 * 128-bit tag that makes tampering fail loudly. The text form is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url), so a later key scheme can sit beside it.
 */
const VERSION = "v1";
const SALT = "wmi-triage/event-source";
const INFO = "secret-box v1 aes-256-gcm";

export class SecretBoxError extends Error {}

function deriveKey(appSecret: string): Buffer {
  if (!appSecret || appSecret.length < 16)
    throw new SecretBoxError("the app secret (BETTER_AUTH_SECRET) is missing or too short to derive an encryption key");
  return Buffer.from(hkdfSync("sha256", appSecret, SALT, INFO, 32));
}

export function sealSecret(plaintext: string, appSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(appSecret), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    VERSION,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

export function openSecret(sealed: string, appSecret: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined)
    throw new SecretBoxError("not a sealed secret (expected v1.<iv>.<tag>.<ciphertext>)");
  const decipher = createDecipheriv("aes-256-gcm", deriveKey(appSecret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError(
      "the stored secret cannot be decrypted (the app secret changed, or the value was altered): enter it again",
    );
  }
}
