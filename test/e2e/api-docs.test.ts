/** GET /docs in Chromium on the desktop window, then on the phone (the checks: ./api-docs.ts). */
import { apiDocsOn } from './api-docs.ts';

apiDocsOn(['desktop', 'mobile']);
