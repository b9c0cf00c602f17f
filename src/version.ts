// The gateway's version, from package.json (one level above both src/ and dist/).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const VERSION: string = JSON.parse(readFileSync(resolve(__dirname, '../package.json'), 'utf8')).version;
