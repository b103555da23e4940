// `npm run demo`: the fleet against built-in simulators, with sample incidents (scripts/demo-standard.ts).
// `npm run demo -- --proactive`: the Proactive Case API story (scripts/demo-proactive.ts).
// `--exit` stops after the report instead of leaving the fleet running for Bull Board.
await import(process.argv.includes('--proactive') ? './demo-proactive.js' : './demo-standard.js');
