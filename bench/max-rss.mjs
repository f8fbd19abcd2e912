#!/usr/bin/env node
/**
 * npm run bench's entry for a run whose memory it measures: `node bench/max-rss.mjs <file> <command>
 * [args...]` runs scripts/run.mjs in this process and, as the process exits, writes its peak
 * resident memory to <file> (JSON, maxRssKiB). The CLI itself knows nothing of the measurement.
 */
import { writeFileSync } from 'node:fs';

const [file] = process.argv.splice(2, 1);
process.on('exit', () => writeFileSync(file, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })));
await import('../scripts/run.mjs');
