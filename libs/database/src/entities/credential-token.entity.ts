import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Member } from './member.entity';
import { WorkspaceOwned } from './workspace-owned';

export const CREDENTIAL_PURPOSES = [
  'access',
  'invitation',
  'confirmation',
  'reset',
  'second_factor',
  'recovery',
] as const;
export type CredentialPurpose = (typeof CREDENTIAL_PURPOSES)[number];

/**
 * A bearer credential of a member: an API access token, or a one-time link (an invitation, the sign-up
 * address's confirmation, a password reset), a sign-in waiting for its second factor, or a recovery
 * code of the second factor. Only the SHA-256 of
 * the random token is stored, so a database leak yields no usable token.
 */
@Entity()
@Index(['tokenHash'], { unique: true })
export class CredentialToken extends WorkspaceOwned {
  @Index()
  @Column('uuid')
  memberId: string;

  @ManyToOne(() => Member, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: Member;

  @Column('text')
  purpose: CredentialPurpose;

  @Column('bytea')
  tokenHash: Buffer;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}
