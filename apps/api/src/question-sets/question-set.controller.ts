import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Injectable,
  Param,
  PipeTransform,
  Post,
  Put,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  BUILTIN_QUESTION_SET_REF,
  isQuestionSetRef,
  NotFoundError,
  QuestionSetService,
} from '@luotsi/domain';
import { Authenticated, Roles } from '../common/auth';
import { CreateQuestionSetDto, QuestionSetDto, UpdateQuestionSetDto } from './question-set.dto';

/** A question set's path id: the built-in ref or a uuid; anything else names nothing (404). */
@Injectable()
class QuestionSetRefPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isQuestionSetRef(value)) throw new NotFoundError('question set');
    return value === BUILTIN_QUESTION_SET_REF ? value : value.toLowerCase();
  }
}

const SetId = () =>
  ApiParam({ name: 'id', description: `\`${BUILTIN_QUESTION_SET_REF}\` or a question set's uuid` });

/** Retrospective question sets: the read-only built-in set and the workspace's own. */
@ApiTags('question sets')
@Authenticated()
@Roles('owner', 'coach')
@Controller('question-sets')
export class QuestionSetController {
  constructor(private readonly questionSets: QuestionSetService) {}

  @Get()
  @ApiOkResponse({ type: [QuestionSetDto], description: "The built-in set first, then the workspace's own" })
  list() {
    return this.questionSets.list();
  }

  @Post()
  @ApiCreatedResponse({ type: QuestionSetDto })
  create(@Body() body: CreateQuestionSetDto) {
    return this.questionSets.create(body);
  }

  @Get(':id')
  @SetId()
  @ApiOkResponse({ type: QuestionSetDto })
  get(@Param('id', QuestionSetRefPipe) id: string) {
    return this.questionSets.get(id);
  }

  @Put(':id')
  @SetId()
  @ApiOkResponse({ type: QuestionSetDto })
  @ApiConflictResponse({ description: 'The built-in set is read-only' })
  update(@Param('id', QuestionSetRefPipe) id: string, @Body() body: UpdateQuestionSetDto) {
    return this.questionSets.update(id, body);
  }

  @Delete(':id')
  @SetId()
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'The built-in set cannot be deleted' })
  remove(@Param('id', QuestionSetRefPipe) id: string) {
    return this.questionSets.remove(id);
  }
}
