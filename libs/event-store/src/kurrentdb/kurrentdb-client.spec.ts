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
