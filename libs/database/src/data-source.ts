import { DataSource } from 'typeorm';
import { parseEnv } from '../../config/src/config.schema';
import { dataSourceOptions } from './data-source-options';

/** For the TypeORM CLI (`npm run migration:*`), which wants exactly one DataSource export. */
const env = parseEnv();
export const AppDataSource = new DataSource(dataSourceOptions(env.DATABASE_URL, 2));
