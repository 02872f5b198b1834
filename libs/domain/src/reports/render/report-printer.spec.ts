import { AppConfig } from '@luotsi/config';
import { PdfUnavailableError, ReportPrinter } from './report-printer';

describe('ReportPrinter', () => {
  it('refuses with a clear error where Chromium is not installed, and tries again next time', async () => {
    const printer = new ReportPrinter(AppConfig.fromEnvironment({ CHROMIUM_PATH: '/nowhere/chromium' }));
    await expect(printer.print('<p>x</p>', 'x')).rejects.toThrow(PdfUnavailableError);
    await expect(printer.print('<p>x</p>', 'x')).rejects.toThrow('PDF export needs Chromium; set CHROMIUM_PATH.');
    await printer.onModuleDestroy();
  });
});
