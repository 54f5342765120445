/** GET /docs in Chromium on the desktop (the checks: ./api-docs.ts). */
import { apiDocsOn } from './api-docs.ts';

apiDocsOn('desktop');
