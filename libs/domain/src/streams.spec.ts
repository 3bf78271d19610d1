import fc from 'fast-check';
import { MAX_ID_LENGTH } from './ids';
import { actorStream, parseStream, positionStream, topicStream } from './streams';

/** Any id the rules allow: a slug of at most 64 characters. */
const slug = fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/).filter((s) => s.length <= MAX_ID_LENGTH);

describe('stream names', () => {
  it('names the seed streams as docs/domain.md does', () => {
    expect(actorStream('donald-trump')).toBe('actor-donald-trump');
    expect(topicStream('russia-sanctions-relief')).toBe('topic-russia-sanctions-relief');
    expect(positionStream('donald-trump', 'russia-sanctions-relief')).toBe('position-donald-trump.russia-sanctions-relief');
  });

  it('reads the seed streams back', () => {
    expect(parseStream('actor-donald-trump')).toEqual({ kind: 'actor', actorId: 'donald-trump' });
    expect(parseStream('topic-russia-sanctions-relief')).toEqual({ kind: 'topic', topicId: 'russia-sanctions-relief' });
    expect(parseStream('position-donald-trump.russia-sanctions-relief')).toEqual({
      kind: 'position',
      actorId: 'donald-trump',
      topicId: 'russia-sanctions-relief',
    });
  });

  // Ids that look like another kind's prefix must not confuse the reader.
  it.each([
    ['an actor named like a position stream', actorStream('position-x'), { kind: 'actor', actorId: 'position-x' }],
    ['an actor named like a topic stream', actorStream('topic-x'), { kind: 'actor', actorId: 'topic-x' }],
    ['a topic named like an actor stream', topicStream('actor-x'), { kind: 'topic', topicId: 'actor-x' }],
    ['a position whose actor is named actor', positionStream('actor', 'topic'), { kind: 'position', actorId: 'actor', topicId: 'topic' }],
  ])('round-trips %s', (_, streamId, expected) => {
    expect(parseStream(streamId)).toEqual(expected);
  });

  it('round-trips every actor stream', () => {
    fc.assert(fc.property(slug, (actorId) => expect(parseStream(actorStream(actorId))).toEqual({ kind: 'actor', actorId })));
  });

  it('round-trips every topic stream', () => {
    fc.assert(fc.property(slug, (topicId) => expect(parseStream(topicStream(topicId))).toEqual({ kind: 'topic', topicId })));
  });

  it('round-trips every position stream', () => {
    fc.assert(
      fc.property(slug, slug, (actorId, topicId) =>
        expect(parseStream(positionStream(actorId, topicId))).toEqual({ kind: 'position', actorId, topicId }),
      ),
    );
  });

  it('gives distinct names to distinct streams', () => {
    fc.assert(
      fc.property(slug, slug, slug, slug, (a1, t1, a2, t2) => {
        fc.pre(a1 !== a2 || t1 !== t2);
        expect(positionStream(a1, t1)).not.toBe(positionStream(a2, t2));
      }),
    );
  });

  it.each([
    ['an unknown prefix', 'statement-abc'],
    ['a bare word', 'actor'],
    ['a position stream without a topic', 'position-donald-trump'],
    ['a position stream with an empty actor', 'position-.russia-sanctions-relief'],
    ['a position stream with an empty topic', 'position-donald-trump.'],
    ['a position stream with three parts', 'position-a.b.c'],
    ['an empty name', ''],
  ])('reads %s (%p) as no stream', (_, streamId) => {
    expect(parseStream(streamId)).toBeNull();
  });
});
