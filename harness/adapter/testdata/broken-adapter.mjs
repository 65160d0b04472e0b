#!/usr/bin/env node
// A deliberately broken adapter for the AdapterClient tests (STYLE.md "Harness and adapters":
// the harness has its own tests against broken adapters). `node broken-adapter.mjs <mode>`:
//   exit             exits at once with code 3, before reading anything
//   die-after-hello  answers hello, then exits (code 1) on the next request
//   garbage-hello    prints a non-JSON line instead of answering hello
//   garbage          answers hello, then prints non-JSON for every request
//   wrong-id         answers hello, then answers every request with id + 1000
//   bad-shape        answers hello, then answers {"id":n,"ok":"yes"}
//   null-id          answers hello, then answers every request with id null (an InvalidInput error)
//   wrong-version    answers hello with protocol 2
//   refuse-hello     answers hello with an error
//   hang-hello       reads requests but never answers
//   hang             answers hello, then never answers again
//   ignore-eof       answers everything, but keeps running after stdin closes
//   late             answers hello; answers each later request after 300 ms
import { createInterface } from 'node:readline';

const mode = process.argv[2];
if (mode === 'exit') {
  process.stderr.write('broken-adapter: giving up at once\n');
  process.exit(3);
}
const hello = (id, protocol = 1) =>
  JSON.stringify({ id, ok: true, result: { protocol, implementation: { name: 'broken', version: '0', language: 'js' }, ops: ['hello', 'hash.string'], deterministic: false } });
const ok = (id) => JSON.stringify({ id, ok: true, result: { echo: true } });
const say = (line) => process.stdout.write(line + '\n');

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  const req = JSON.parse(line);
  if (req.op === 'hello') {
    switch (mode) {
      case 'garbage-hello': return say('Starting broken adapter v0...');
      case 'wrong-version': return say(hello(req.id, 2));
      case 'refuse-hello': return say(JSON.stringify({ id: req.id, ok: false, error: { class: 'Internal', message: 'no' } }));
      case 'hang-hello': return;
      default: return say(hello(req.id));
    }
  }
  switch (mode) {
    case 'die-after-hello':
      process.stderr.write('broken-adapter: dying\n');
      return process.exit(1);
    case 'garbage': return say('<html>oops</html>');
    case 'wrong-id': return say(ok(req.id + 1000));
    case 'bad-shape': return say(JSON.stringify({ id: req.id, ok: 'yes' }));
    case 'null-id': return say(JSON.stringify({ id: null, ok: false, error: { class: 'InvalidInput', message: 'cannot read' } }));
    case 'hang': return;
    case 'late': return void setTimeout(() => say(ok(req.id)), 300);
    default: return say(ok(req.id));
  }
});
if (mode === 'ignore-eof') {
  setInterval(() => {}, 1000);
}
