import * as argon2 from 'argon2';
import { HashQueue } from './hash-queue';

/** All password work of the process goes through one bounded queue; AuthService sizes it from config. */
export const passwordWork = new HashQueue(2, 16);

/** argon2id with the library's defaults (64 MiB, t=3, p=4): the OWASP-recommended family. */
export const hashPassword = (password: string): Promise<string> =>
  passwordWork.run(() => argon2.hash(password, { type: argon2.argon2id }));

export const verifyPassword = (hash: string, password: string): Promise<boolean> =>
  passwordWork.run(async () => {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  });

/** Verified against when the email is unknown, so a miss costs as long as a hit. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => {
  decoy ??= hashPassword('luotsi-decoy-password').catch((error: unknown) => {
    decoy = undefined; // refused while busy: try again next time
    throw error;
  });
  return decoy;
};
