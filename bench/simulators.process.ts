// The ticketing-system simulators in a process of their own, so the systems under test do not share
// an event loop with the bench's polling. Arguments: latency (ms), share of creates that fail at random.
// Prints one JSON line with their URLs and a control URL (GET /tally: tickets per incident), then
// serves until killed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startJiraSimulator, startServiceNowSimulator } from '@rhx/testing';
import { failCreatesAtRandom, isCreate, type InjectedFailures } from './random-faults.js';
import { tallyTickets } from './ticket-tally.js';

const latencyMs = Number(process.argv[2] ?? 20);
const failureRate = Number(process.argv[3] ?? 0);
const jira = await startJiraSimulator({ deployment: 'cloud', projects: ['SEC'], email: 'bench@rhythmx.example', apiToken: 'bench-jira', latencyMs });
const snow = await startServiceNowSimulator({ username: 'bench', password: 'bench-snow', groups: {}, latencyMs });
const injected: InjectedFailures = { unavailable: 0, lostAnswers: 0 };
failCreatesAtRandom(jira.faults, failureRate, injected);
failCreatesAtRandom(snow.faults, failureRate, injected);

const control = createServer((req, res) => {
  if (req.url !== '/tally') return void res.writeHead(404).end();
  const creates = [...jira.requests(), ...snow.requests()].filter((r) => isCreate(r.method, r.path)).length;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tallyTickets(jira.issues(), snow.incidents(), creates, injected)));
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
process.stdout.write(`${JSON.stringify({ jira: jira.url, snow: snow.url, control: controlUrl })}\n`);
process.on('SIGTERM', () => process.exit(0));
