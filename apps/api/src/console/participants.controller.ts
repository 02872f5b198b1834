import { createHash } from 'node:crypto';
import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  DeclaredFile,
  FileReading,
  InputIssue,
  InvalidInputError,
  UnconfirmedImportLimitError,
  NotFoundError,
  ParticipantService,
  PilotService,
} from '@luotsi/domain';
import { textsFor } from '@luotsi/texts';
import { Roles } from '../common/auth';
import { Id } from '../common/params';
import { ConsolePages } from './console-pages';
import { languageOf, type ConsoleRequest } from './page-context';

const PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Rows of a checked file shown before importing it. */
const PREVIEW_ROWS = 10;
/**
 * A checked file up to this size rides along in the preview's form (base64, under multer's 1 MB field
 * limit); a larger one is chosen again and must match the checked file's SHA-256.
 */
const CARRIED_LIMIT = 700 * 1024;

type UploadRequest = ConsoleRequest & { file?: { buffer: Buffer; originalname: string; mimetype?: string } };

/** The preview's note on how the file was read (`participants:preview.readAs.*`), if it says anything. */
function readAsKey(reading: FileReading): string | undefined {
  if (reading.format === 'xlsx') return 'xlsx';
  if (reading.encoding === 'windows-1252') return 'windows1252';
  return reading.encoding.startsWith('utf-16') ? 'utf16' : undefined;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * A pilot's participants, and importing them from a file in two steps: the file is checked and shown
 * (every bad line with its number) without storing anything; only a clean file can then be imported,
 * all at once, by the same importer the API uses. Personal data: owners and coaches only, as in the API.
 */
@ApiExcludeController()
@Roles('owner', 'coach')
@Controller('app')
export class ParticipantPagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly participants: ParticipantService,
    private readonly pilots: PilotService,
  ) {}

  @Get('pilots/:id/participants')
  async list(
    @Param('id', Id('pilot')) pilotId: string,
    @Query('offset') offsetParam: string | undefined,
    @Query('imported') imported: string | undefined,
    @Query('cleared') cleared: string | undefined,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const pilot = await this.pilots.get(pilotId);
    const offset = Math.max(0, Math.floor(Number(offsetParam) || 0));
    const page = await this.participants.listForPilot(pilotId, { limit: PAGE_SIZE, offset });
    const t = textsFor(languageOf(request));
    const count = Number(imported);
    const clearedName =
      cleared && UUID.test(cleared)
        ? (await this.participants.namesInPilot(pilot.id, [cleared])).get(cleared)
        : undefined;
    const base = `/app/pilots/${pilot.id}/participants`;
    this.pages.send(request, response, 'participants/list', 'participants:list.title', {
      pilot,
      items: page.items,
      total: page.total,
      from: page.items.length ? offset + 1 : 0,
      to: offset + page.items.length,
      previous: offset > 0 ? `${base}?offset=${Math.max(0, offset - PAGE_SIZE)}` : null,
      next: offset + PAGE_SIZE < page.total ? `${base}?offset=${offset + PAGE_SIZE}` : null,
      flash: clearedName
        ? t('participants:list.bounceCleared', { name: clearedName })
        : Number.isInteger(count) && count > 0
          ? t('participants:list.imported', { count })
          : undefined,
    });
  }

  /** Check your answers: clearing a bounce mark lets the next steps mail the address again. */
  @Get('pilots/:id/participants/:participantId/bounce')
  async bouncePage(
    @Param('id', Id('pilot')) pilotId: string,
    @Param('participantId', Id('participant')) participantId: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const { pilot, participant } = await this.inPilot(pilotId, participantId);
    if (!participant.bouncedAt) return this.pages.redirect(response, `/app/pilots/${pilot.id}/participants`);
    this.pages.send(request, response, 'participants/bounce', 'participants:bounce.title', {
      pilot,
      participant,
    });
  }

  @Post('pilots/:id/participants/:participantId/bounce')
  async clearBounce(
    @Param('id', Id('pilot')) pilotId: string,
    @Param('participantId', Id('participant')) participantId: string,
    @Res() response: Response,
  ) {
    const { pilot, participant } = await this.inPilot(pilotId, participantId);
    await this.participants.clearBounce(participant.id);
    this.pages.redirect(response, `/app/pilots/${pilot.id}/participants?cleared=${participant.id}`);
  }

  /** The pilot and one of its participants; someone not in the pilot is not found here. */
  private async inPilot(pilotId: string, participantId: string) {
    const pilot = await this.pilots.get(pilotId);
    const inPilot = await this.participants.namesInPilot(pilot.id, [participantId]);
    if (!inPilot.has(participantId)) throw new NotFoundError('participant');
    return { pilot, participant: await this.participants.get(participantId) };
  }

  @Get('pilots/:id/participants/import')
  async form(
    @Param('id', Id('pilot')) pilotId: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const pilot = await this.pilots.get(pilotId);
    this.pages.send(request, response, 'participants/import', 'participants:import.title', {
      pilot,
      levels: pilot.levels.join(', '),
    });
  }

  /** Checks the uploaded file and shows what importing it would do; stores nothing. */
  @Post('pilots/:id/participants/import')
  async check(
    @Param('id', Id('pilot')) pilotId: string,
    @Req() request: UploadRequest,
    @Res() response: Response,
  ) {
    const pilot = await this.pilots.get(pilotId);
    const file = request.file;
    if (!file || !file.buffer.length) {
      const t = textsFor(languageOf(request));
      return this.pages.send(
        request,
        response,
        'participants/import',
        'participants:import.title',
        {
          pilot,
          levels: pilot.levels.join(', '),
          errors: [{ field: 'file', message: t('participants:import.errors.noFile') }],
        },
        422,
      );
    }
    return this.preview(request, response, pilot, file.buffer, {
      fileName: file.originalname,
      contentType: file.mimetype,
    });
  }

  /** Imports the checked file: checked again, then stored all at once (the importer's transaction). */
  @Post('pilots/:id/participants/import/confirm')
  async confirm(
    @Param('id', Id('pilot')) pilotId: string,
    @Req() request: UploadRequest,
    @Res() response: Response,
  ) {
    const pilot = await this.pilots.get(pilotId);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const carried = typeof body.content === 'string' ? Buffer.from(body.content, 'base64') : undefined;
    const bytes = request.file?.buffer ?? carried;
    const fileName = typeof body.fileName === 'string' ? body.fileName : '';
    // Not the file that was checked (or none): check what came instead rather than import it unseen.
    if (!bytes || !bytes.length || sha256(bytes) !== body.sha256) {
      if (bytes?.length)
        return this.preview(request, response, pilot, bytes, {
          fileName: request.file?.originalname,
          contentType: request.file?.mimetype,
        });
      return this.pages.redirect(response, `/app/pilots/${pilot.id}/participants/import`);
    }
    try {
      const summary = await this.participants.importCsv(pilot.id, bytes, {
        fileName: request.file?.originalname ?? fileName,
        contentType: request.file?.mimetype,
      });
      return this.pages.redirect(response, `/app/pilots/${pilot.id}/participants?imported=${summary.rows}`);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return this.refused(request, response, pilot, error, fileName);
    }
  }

  private async preview(
    request: ConsoleRequest,
    response: Response,
    pilot: { id: string; name: string },
    bytes: Buffer,
    declared: DeclaredFile,
  ) {
    const fileName = declared.fileName ?? '';
    try {
      const preview = await this.participants.previewCsv(pilot.id, bytes, declared);
      const count = preview.rows.length;
      return this.pages.send(request, response, 'participants/preview', 'participants:preview.title', {
        pilot,
        fileName,
        readAs: readAsKey(preview.reading),
        sheet: preview.reading.format === 'xlsx' ? preview.reading.sheet : undefined,
        count,
        known: preview.known,
        newPeople: count - preview.known,
        alreadyInPilot: preview.alreadyInPilot,
        rows: preview.rows.slice(0, PREVIEW_ROWS),
        more: Math.max(0, count - PREVIEW_ROWS),
        sha256: sha256(bytes),
        content: bytes.length <= CARRIED_LIMIT ? bytes.toString('base64') : undefined,
      });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return this.refused(request, response, pilot, error, fileName);
    }
  }

  /** The file cannot be imported: every problem, by line, and a form to upload the fixed file. */
  private refused(
    request: ConsoleRequest,
    response: Response,
    pilot: { id: string; name: string },
    error: InvalidInputError,
    fileName: string,
  ) {
    const issues = error.issues.map((issue: InputIssue) => ({
      line: issue.line,
      field: issue.field,
      reason: issue.reason,
    }));
    const lines = new Set(issues.filter((i) => i.line !== undefined && i.line > 1).map((i) => i.line));
    this.pages.send(
      request,
      response,
      'participants/preview',
      'participants:preview.refusedTitle',
      {
        pilot,
        fileName,
        refused: true,
        issues,
        badLines: lines.size,
        wholeFile:
          !(error instanceof UnconfirmedImportLimitError) &&
          issues.some((i) => i.field === 'file' || i.field === 'header'),
        unconfirmedLimit: error instanceof UnconfirmedImportLimitError ? error.limit : undefined,
      },
      422,
    );
  }
}
