// The ticketing-system simulators in a process of their own, so the systems under test do not share
// an event loop with the bench's polling. Prints one JSON line with their URLs, then serves until killed.
import { startJiraSimulator, startServiceNowSimulator } from '@rhx/testing';

const latencyMs = Number(process.argv[2] ?? 20);
const jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'bench@rhythmx.example', apiToken: 'bench-jira', latencyMs });
const snow = await startServiceNowSimulator({ username: 'bench', password: 'bench-snow', groups: {}, latencyMs });
process.stdout.write(`${JSON.stringify({ jira: jira.url, snow: snow.url })}\n`);
process.on('SIGTERM', () => process.exit(0));
