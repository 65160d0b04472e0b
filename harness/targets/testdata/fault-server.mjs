// A deliberately broken mail server for the image target's own tests (harness/targets/
// image.docker.test.ts), run in the reference image with `node /app/fault.mjs`. FAULT selects:
//   never-ready  print a line and never listen (readiness must time out)
//   exit         answer GET / (readiness), then exit 3 on the first other request, unanswered
//   hang         answer GET / (readiness), then accept every other request and never answer
// PORT is the port to listen on; the TLS certificate and key are the files the harness copied in.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const fault = process.env.FAULT;
process.stdout.write(`fault server: ${fault}\n`);
if (fault === 'never-ready') {
  setInterval(() => process.stdout.write('still starting…\n'), 1000);
} else {
  const srv = createServer({ cert: readFileSync('/etc/bm/tls/cert.pem'), key: readFileSync('/etc/bm/tls/key.pem') }, (req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('fault server\n');
      return;
    }
    process.stdout.write(`request ${req.method} ${req.url}\n`);
    if (fault === 'exit') {
      process.stdout.write('exiting with code 3\n');
      process.exit(3);
    }
    // hang: keep the request open forever
  });
  srv.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`listening on ${process.env.PORT}\n`));
}
process.on('SIGTERM', () => process.exit(0));
