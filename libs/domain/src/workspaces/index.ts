export * from './auth.service';
export * from './passwords';
export * from './workspace.service';
export * from './member.service';
export * from './workspaces.module';
export * from './hash-queue';
export * from './account-mail';
