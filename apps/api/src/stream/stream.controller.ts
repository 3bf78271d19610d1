import { BadRequestException, Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { matchesFilter, type MessageFilter, WatchDispatcher, type WatchMessage } from '@positions/application';
import { createSession, type Session } from 'better-sse';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../common/api-errors';
import { errorBody } from '../common/error-body';
import { filterOf, StreamQueryDto } from './stream.dto';

/** A comment line this often keeps proxies from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;
/**
 * A client that lets this much go unread is cut off rather than buffered without end; its
 * EventSource reconnects with `Last-Event-ID` and misses nothing.
 */
export const MAX_UNREAD_BYTES = 1 << 20;

@ApiTags('watch')
@Controller('stream')
export class StreamController {
  constructor(private readonly dispatcher: WatchDispatcher) {}

  @Get()
  @ApiOperation({ summary: 'Server-Sent Events: each change to a current position, voice, correction or retraction as it is recorded; `id` is its log position' })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this log position: every message after it, none twice' })
  @ApiResponse({ status: 200, description: 'An event stream that stays open', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiErrors(400, 401, 429)
  async stream(@Query() query: StreamQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // Without Last-Event-ID: what is recorded from now on, the log's end read before the stream opens.
    const after = lastEventId(request.headers['last-event-id']) ?? (await this.dispatcher.head());
    const filter = filterOf(query);
    const headers = { ...reply.getHeaders(), 'x-accel-buffering': 'no' } as Record<string, string>;
    reply.hijack();
    const session = await createSession(request.raw, reply.raw, { keepAlive: HEARTBEAT_MS, trustClientEventId: false, headers });
    await this.follow(session, reply, filter, after);
  }

  /**
   * Sends every message after `after`, none twice, in order: those derived already, then each
   * new one as it is derived. Nothing is held for the client meanwhile (a client resuming from
   * far back may wait its turn and take minutes, beside an import writing thousands of events a
   * second): what was derived while older messages were sent is replayed after them, from
   * memory when it is recent, until the client has caught up with the dispatcher; it then
   * follows live. A dispatcher still catching up after a restart sends nothing until it has
   * derived past `after`.
   */
  private async follow(session: Session, reply: FastifyReply, filter: MessageFilter, after: number): Promise<void> {
    const connected = () => session.isConnected && !reply.raw.destroyed;
    const send = (messages: readonly WatchMessage[]) => {
      if (!session.isConnected) return;
      for (const message of messages) if (message.position > after && matchesFilter(filter, message)) session.push(message.data, message.type, String(message.position));
      if (reply.raw.writableLength > MAX_UNREAD_BYTES) reply.raw.destroy();
    };
    let live = false;
    const stop = this.dispatcher.listen((messages) => live && send(messages));
    session.once('disconnected', stop);
    // Page by page: a client resuming from far back is sent each page as it is derived.
    for (let from = after; connected() && from < this.dispatcher.position; ) {
      const through = this.dispatcher.position;
      await this.dispatcher.replay(from, through, (messages) => {
        send(messages);
        return connected();
      });
      from = through;
    }
    // In the same turn as the last look at the dispatcher's position: no message falls between.
    live = true;
  }
}

function lastEventId(header: string | string[] | undefined): number | null {
  if (header === undefined || header === '') return null;
  if (typeof header === 'string' && /^(0|[1-9][0-9]{0,15})$/.test(header)) return Number(header);
  throw new BadRequestException(errorBody(400, 'Last-Event-ID must be a log position (a whole number in decimal digits)', [{ field: 'Last-Event-ID', problem: 'must be a whole number' }]));
}
