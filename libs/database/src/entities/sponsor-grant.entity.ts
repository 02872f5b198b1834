import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Organization } from './organization.entity';
import { Member } from './member.entity';
import { WorkspaceOwned } from './workspace-owned';

/** A sponsor sees, read-only, exactly the organizations it is granted. */
@Entity()
@Index(['memberId', 'organizationId'], { unique: true })
export class SponsorGrant extends WorkspaceOwned {
  @Column('uuid')
  memberId: string;

  @Index()
  @Column('uuid')
  organizationId: string;

  @ManyToOne(() => Member, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: Member;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;
}
