import { credentialsOf, redactConnectionString, withReadCredentials } from './kurrentdb-client';
import { FakeKurrentClient } from './testing/fake-kurrentdb-client';

describe('connection-string credentials', () => {
  it('hides the whole password in messages, whatever it holds', () => {
    expect(redactConnectionString('kurrentdb://admin:changeit@node1:2113?tls=false')).toBe('kurrentdb://admin:***@node1:2113?tls=false');
    expect(redactConnectionString('kurrentdb://admin:se/cret@node1:2113')).toBe('kurrentdb://admin:***@node1:2113');
    expect(redactConnectionString('kurrentdb://admin:se?cret@node1:2113?tls=false')).toBe('kurrentdb://admin:***@node1:2113?tls=false');
    expect(redactConnectionString('kurrentdb://admin:p@ss@node1,node2:2113')).toBe('kurrentdb://admin:***@node1,node2:2113');
    expect(redactConnectionString('kurrentdb://node1:2113?tls=false')).toBe('kurrentdb://node1:2113?tls=false');
  });

  it('decodes a percent-encoded user name and password as the client decodes them for appends', () => {
    expect(credentialsOf('kurrentdb://admin:p%40ss%2Fw0rd@node1:2113?tls=false')).toEqual({ username: 'admin', password: 'p@ss/w0rd' });
    expect(credentialsOf('kurrentdb://admin:changeit@a:2113,b:2113')).toEqual({ username: 'admin', password: 'changeit' });
    expect(credentialsOf('kurrentdb://node1:2113?tls=false')).toBeNull();
  });

  it('gives every read the decoded credentials: the native reader would send the password still encoded', async () => {
    const fake = new FakeKurrentClient();
    const client = withReadCredentials(fake, { username: 'admin', password: 'p@ss/w0rd' });
    for await (const resolved of client.readAll({ maxCount: 1 })) void resolved;
    await expect(async () => {
      for await (const resolved of client.readStream('s', { maxCount: 1 })) void resolved;
    }).rejects.toMatchObject({ type: 'stream-not-found' });
    expect(fake.reads[0].credentials).toEqual({ username: 'admin', password: 'p@ss/w0rd' });
    expect(fake.streamReads[0].options.credentials).toEqual({ username: 'admin', password: 'p@ss/w0rd' });
  });
});

describe('the fake client, where it copies the server', () => {
  const data = (id: string) => ({ id, contentType: 'application/json' as const, type: 'A', data: {}, metadata: undefined });

  it('acknowledges events whose ids follow the expected revision without writing them again, as the server does', async () => {
    const client = new FakeKurrentClient();
    const ids = ['0b5f1c2e-8a4d-4f7e-9c3b-000000000001', '0b5f1c2e-8a4d-4f7e-9c3b-000000000002'];
    const first = await client.appendToStream('s', ids.map(data), { streamState: 'no_stream' });
    const again = await client.appendToStream('s', ids.map(data), { streamState: 'no_stream' });
    expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
    expect(client.streamRecords('s')).toHaveLength(2);
    await expect(client.appendToStream('s', [data('0b5f1c2e-8a4d-4f7e-9c3b-000000000003')], { streamState: 'no_stream' })).rejects.toMatchObject({ type: 'wrong-expected-version' });
  });

  it('keeps a native read open until it is consumed to its end, in batches of 64', async () => {
    const client = new FakeKurrentClient();
    for (let i = 0; i < 100; i++) client.write('s', 'A');
    const iterator = client.readAll({})[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();
    expect(client.openReads).toBe(1);
    for await (const resolved of client.readAll({ maxCount: 70 })) void resolved;
    expect(client.openReads).toBe(1);
  });
});
