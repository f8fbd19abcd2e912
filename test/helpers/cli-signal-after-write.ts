/**
 * The CLI as a process, but its writer sends the process SIGTERM once every file is in place: the
 * signal then lands during a write, as a user's Ctrl-C could, and the run must undo it and exit 130.
 * Test-only: the production CLI has no such switch.
 */
import { hideBin } from 'yargs/helpers';
import { main } from '../../cli/main.js';

main(hideBin(process.argv), { writeHooks: { afterAll: () => process.kill(process.pid, 'SIGTERM') } });
