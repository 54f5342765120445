/** The functions' one logger setup (Powertools Logger, JSON lines), shared by every container. */
import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from './metrics.ts';

export const newLogger = (): Logger => new Logger({ serviceName: SERVICE_NAME });
