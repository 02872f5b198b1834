import { Injectable } from '@nestjs/common';
import { AppConfig } from '@luotsi/config';
import { AuditLog } from '../audit';
import { Clock } from '../common/clock';
import { ConflictError, ForbiddenError, InvalidInputError, UnauthenticatedError } from '../common/errors';
import { sealSecret } from '../common/secret-box';
import { Actor } from '../tenancy/actor';
import {
  newRecoveryCode,
  openSealedTotp,
  newTotpSecret,
  RECOVERY_CODES,
  recoveryCodeHash,
  totpStep,
  totpUri,
} from './second-factor';
import { WorkspacesStore } from './workspaces.store';

/** Whether the member's second factor is on, and how many recovery codes are left. */
export interface SecondFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

/** A secret being enrolled: typed, or read from the QR code of `otpauthUri`. */
export interface SecondFactorEnrolment {
  secret: string;
  otpauthUri: string;
}

/** Recovery codes live as long as the second factor does; they are revoked when it goes. */
const RECOVERY_TTL_HOURS = 24 * 365 * 20;

const wrongCode = () =>
  new InvalidInputError('The code is not the current code of the authenticator.', [
    { field: 'code', reason: 'not the current code (or already used)' },
  ]);

/**
 * The optional second factor of owners (TOTP, RFC 6238): enrolment with a secret shown once (and as a
 * QR code by the console), confirmed by a first code; recovery codes, each usable once; turning it off
 * with a current code. The secrets are sealed at rest (AES-256-GCM, `secondFactorKey`); the codes'
 * time steps are kept so that no code is accepted twice. Sign-in with it is `AuthService.completeSignIn`.
 */
@Injectable()
export class SecondFactorService {
  constructor(
    private readonly store: WorkspacesStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async status(actor: Actor): Promise<SecondFactorStatus> {
    const member = await this.member(actor);
    return {
      enabled: !!member.totpEnabledAt,
      enabledAt: member.totpEnabledAt,
      recoveryCodesLeft: member.totpEnabledAt
        ? await this.store.countLiveCredentials(member.id, 'recovery', this.clock.now())
        : 0,
    };
  }

  /** A new secret to enrol (replacing one not confirmed yet); owners only, while the factor is off. */
  async beginEnrolment(actor: Actor): Promise<SecondFactorEnrolment> {
    const member = await this.member(actor);
    if (member.role !== 'owner') throw new ForbiddenError('The second factor is for owners.');
    if (member.totpEnabledAt) throw new ConflictError('The second factor is on already; turn it off first.');
    const secret = newTotpSecret();
    await this.store.setPendingSecondFactor(member.id, sealSecret(secret, this.key));
    return { secret, otpauthUri: totpUri(secret, member.email) };
  }

  /** The secret being enrolled, again (the console shows it until the first code confirms it). */
  async pendingEnrolment(actor: Actor): Promise<SecondFactorEnrolment | null> {
    const member = await this.member(actor);
    if (member.totpEnabledAt || !member.totpPendingSecret) return null;
    const secret = openSealedTotp(member.totpPendingSecret, this.key);
    return secret ? { secret, otpauthUri: totpUri(secret, member.email) } : null;
  }

  /**
   * The first code confirms the enrolment: the factor is on, and the recovery codes are made, shown
   * this once (only their digests are kept).
   */
  async confirmEnrolment(actor: Actor, code: string): Promise<{ recoveryCodes: string[] }> {
    const member = await this.member(actor);
    if (member.totpEnabledAt) throw new ConflictError('The second factor is on already.');
    if (!member.totpPendingSecret) throw new ConflictError('No second factor is being set up; start again.');
    const now = this.clock.now();
    const step = await totpStep(openSealedTotp(member.totpPendingSecret, this.key), code.trim(), now);
    if (step === null) throw wrongCode();
    const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await this.store.transaction(async (manager) => {
      if (!(await this.store.enableSecondFactor(member.id, now, step, manager)))
        throw new ConflictError('The second factor is on already.');
      await this.store.revokeCredentialsOf(member.id, 'recovery', now, manager);
      for (const recovery of recoveryCodes)
        await this.store.addCredential(
          {
            workspaceId: member.workspaceId,
            memberId: member.id,
            purpose: 'recovery',
            tokenHash: recoveryCodeHash(recovery),
            expiresAt: new Date(now.getTime() + RECOVERY_TTL_HOURS * 3_600_000),
          },
          manager,
        );
      await this.audit.recordAs(
        actor,
        { action: 'member.second_factor_enabled', entityType: 'member', entityId: member.id, details: {} },
        manager,
      );
    });
    return { recoveryCodes };
  }

  /**
   * Turns the factor off with a current code (never one accepted before) or a recovery code; its secret
   * and recovery codes go. A wrong code is refused naming `code`, and the caller counts it against the
   * sign-in limits.
   */
  async disable(actor: Actor, code: string): Promise<void> {
    const member = await this.member(actor);
    if (!member.totpEnabledAt || !member.totpSecret) throw new ConflictError('The second factor is off.');
    const now = this.clock.now();
    const typed = code.trim();
    const totp = /^\d{6}$/.test(typed);
    const step = totp ? await totpStep(openSealedTotp(member.totpSecret, this.key), typed, now) : null;
    if (totp && step === null) throw wrongCode();
    await this.store.transaction(async (manager) => {
      if (step !== null) {
        if (!(await this.store.takeSecondFactorStep(member.id, step, manager))) throw wrongCode();
      } else {
        const recovery = await this.store.liveCredentialOf(
          member.id,
          recoveryCodeHash(typed),
          'recovery',
          now,
          manager,
        );
        if (!recovery) throw wrongCode();
      }
      await this.store.disableSecondFactor(member.id, manager);
      await this.store.revokeCredentialsOf(member.id, 'recovery', now, manager);
      await this.audit.recordAs(
        actor,
        { action: 'member.second_factor_disabled', entityType: 'member', entityId: member.id, details: {} },
        manager,
      );
    });
  }

  private get key(): Buffer {
    return this.config.auth.secondFactorKey;
  }

  private async member(actor: Actor) {
    if (!actor.memberId) throw new UnauthenticatedError();
    const member = await this.store.secondFactorOf(actor.memberId);
    if (!member || member.workspaceId !== actor.workspaceId) throw new UnauthenticatedError();
    return member;
  }
}
