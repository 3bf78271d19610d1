import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildCli, ROOT } from './support/cli-harness';
import { freshPerson, logEnd, ok, retract, say, sleep, startWithTopic, TOPIC } from './support/world';

/*
 * `positions watch` beside a running service on the same data folder: it prints each message
 * as the service records the change, derived from the log as the stream derives it.
 */

function watch(main: string, dataDir: string, args: string[]) {
  const env = { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), DATA_DIR: dataDir, EVENT_STORE: 'sqlite' };
  const child = spawn(process.execPath, [main, 'watch', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    lines: () => stdout.split('\n').filter(Boolean),
    async waitForLines(count: number, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (stdout.split('\n').filter(Boolean).length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} lines: ${stdout} ${stderr}`);
        await sleep(100);
      }
    },
    async stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}

describe('positions watch', () => {
  it('prints each change as it is recorded: --json one message per line, text with control characters escaped', async () => {
    const main = await buildCli();
    const service = await startWithTopic();
    try {
      const actor = await freshPerson(service);
      const { last } = await logEnd(service);
      const json = watch(main, service.dataDir, ['--actor', actor, '--json', '--after', String(last)]);
      const first = await say(service, actor, 'not-yet', '2025-02-01');
      const retracted = (await ok(retract(service, first.id, 'wrong \u001b[2J person'))).body.position;
      await json.waitForLines(3);
      const messages = json.lines().map((line) => JSON.parse(line));
      expect(messages.map((m) => [m.type, m.position])).toEqual([
        ['position-changed', first.answer.body.position],
        ['statement-retracted', retracted],
        ['position-changed', retracted],
      ]);
      expect(messages[0].data).toMatchObject({ actorId: actor, topicId: TOPIC, after: { code: 'not-yet' } });
      expect(await json.stop()).toBe(0);

      const text = watch(main, service.dataDir, ['--actor', actor, '--types', 'statement-retracted', '--after', '0']);
      await text.waitForLines(1);
      expect(text.lines()).toEqual([`#${retracted} statement-retracted ${first.id} by ${actor} on ${TOPIC}: wrong \\u001b[2J person`]);
      expect(await text.stop()).toBe(0);
    } finally {
      await service.close();
    }
  }, 180_000);
});
