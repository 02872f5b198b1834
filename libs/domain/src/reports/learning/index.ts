import { LearningNoteService } from './learning-note.service';
import { LearningReportSections } from './learning-report.sections';
import { ResponseSections } from './learning-response.sections';
import { PracticeSections } from './learning-practice.sections';
import { ThemeSections } from './learning-themes.sections';
import { LearningReportService } from './learning-report.service';
import { ReportErasure } from './report-erasure';
import { NextWaveLessons } from './next-wave-lessons';

export * from './learning-report.service';
export * from './learning-note.service';
export * from './learning-report.sections';
export * from './flags';
export * from './stored-learning';
export * from './themes';
export * from './report-erasure';
export * from '../publication/publication-policy';

/** The learning report's services, for the domain module. */
export const LEARNING_REPORT_SERVICES = [
  ResponseSections,
  PracticeSections,
  ThemeSections,
  LearningReportSections,
  LearningNoteService,
  LearningReportService,
  ReportErasure,
  NextWaveLessons,
];
