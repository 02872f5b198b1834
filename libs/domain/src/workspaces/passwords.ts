import * as argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, t=3, p=4): the OWASP-recommended family. */
export const hashPassword = (password: string): Promise<string> =>
  argon2.hash(password, { type: argon2.argon2id });

export const verifyPassword = async (hash: string, password: string): Promise<boolean> => {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
};

/** Verified against when the email is unknown, so a miss costs as long as a hit. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword('luotsi-decoy-password'));
