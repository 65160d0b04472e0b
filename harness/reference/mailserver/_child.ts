/**
 * Test helper: run one reference mail server in its own process (for the kill-and-restart
 * durability test). Options come as JSON in `BM_MAIL_OPTS`; prints `READY <url>` when listening.
 * @module
 */
import { startMailServer } from './index.ts';

const opts = JSON.parse(process.env.BM_MAIL_OPTS ?? '{}') as Parameters<typeof startMailServer>[0];
const server = await startMailServer(opts);
process.stdout.write(`READY ${server.url}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
