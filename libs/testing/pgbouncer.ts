import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/**
 * Debian's PgBouncer (1.18) in front of a test's own PostgreSQL, in transaction mode: a server connection
 * is lent to a client for one transaction only, so a named prepared statement, a session advisory lock or a
 * `SET` made in one transaction is gone (or somebody else's) in the next. `serverConnections` small makes
 * many clients share few server connections, as in production, so such a mistake shows at once.
 */
export interface PgBouncer {
  /** `postgresql://postgres@127.0.0.1:<port>/<database>` through the pooler. */
  url(database: string): string;
  /** PgBouncer's own log (which counts and refuses nothing silently). */
  log(): string;
  stop(): Promise<void>;
}

export async function startPgBouncer(postgresPort: number, options: { serverConnections?: number } = {}): Promise<PgBouncer> {
  const dir = mkdtempSync(join(tmpdir(), 'rhx-pgbouncer-'));
  const port = await freePort();
  const logfile = join(dir, 'pgbouncer.log');
  writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(join(dir, 'pgbouncer.ini'), [
    '[databases]',
    `* = host=127.0.0.1 port=${postgresPort}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1', `listen_port = ${port}`, 'unix_socket_dir =',
    'auth_type = trust', `auth_file = ${join(dir, 'userlist.txt')}`,
    'pool_mode = transaction', `default_pool_size = ${options.serverConnections ?? 4}`, 'max_client_conn = 1000',
    `logfile = ${logfile}`, 'log_connections = 0', 'log_disconnections = 0',
    // What node-postgres may send at start that PgBouncer would otherwise refuse.
    'ignore_startup_parameters = extra_float_digits,options',
    // After a failed server login PgBouncer refuses the database this long (default 15 s): the recommended 2 s
    // (docs/deploying.md) lets the fleet resume soon after PostgreSQL is back.
    'server_login_retry = 2',
  ].join('\n'));
  // PgBouncer refuses to run as root.
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim()));
    for (const f of ['', 'userlist.txt', 'pgbouncer.ini']) chownSync(join(dir, f), uid!, gid!);
  }
  const ini = join(dir, 'pgbouncer.ini');
  const child: ChildProcess = asRoot ? spawn('runuser', ['-u', 'postgres', '--', 'pgbouncer', ini], { stdio: 'ignore' }) : spawn('pgbouncer', [ini], { stdio: 'ignore' });
  const readLog = () => {
    try {
      return readFileSync(logfile, 'utf8');
    } catch {
      return '';
    }
  };
  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url('postgres'), connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      break;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`PgBouncer did not start: ${String(err)}; its log: ${readLog().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    log: readLog,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
