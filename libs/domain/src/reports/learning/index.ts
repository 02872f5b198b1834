import { LearningNoteService } from './learning-note.service';
import { LearningReportSections } from './learning-report.sections';
import { LearningReportService } from './learning-report.service';

export * from './learning-report.service';
export * from './learning-note.service';
export * from './learning-report.sections';
export * from './flags';
export * from './stored-learning';
export * from './themes';
export * from '../publication/publication-policy';

/** The learning report's services, for the domain module. */
export const LEARNING_REPORT_SERVICES = [LearningReportSections, LearningNoteService, LearningReportService];
