/** GET /docs in Chromium on the mobile (the checks: ./api-docs.ts). */
import { apiDocsOn } from './api-docs.ts';

apiDocsOn('mobile');
