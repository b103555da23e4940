import { execFileSync } from 'node:child_process';

// One migrated template database per run; each test file clones it (CREATE DATABASE … TEMPLATE),
// which takes milliseconds, so test files never see each other's rows. Jest loads global setup
// outside its module mapper, so the preparation runs as a script under tsx.
export default function globalSetup(): void {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/prepare-test-db.ts'], { stdio: 'inherit' });
}
