import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HelmetOptions } from 'helmet';
import type { IncomingMessage } from 'node:http';
import { AppModule, type AppOverrides } from './app.module';
import type { ApiKeys } from './auth/api-keys';
import { API_KEYS } from './auth/auth.guard';
import { guardDocs } from './auth/docs-access';
import { installRateLimit } from './auth/rate-limit';
import { errorBody } from './common/error-body';
import { guardRawInput } from './common/raw-input.guard';
import { installSecurityHeaders } from './common/security-headers';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config';
import { WriteHealth } from './health/write-health';
import { makeDataFolderPrivate } from './data-folder';
import { requestIdOf } from './logging';
import { serveWebApp, webAppDir } from './web/web';

/** 64 KiB: larger bodies are refused with 413 before they are parsed. */
export const BODY_LIMIT = 64 * 1024;

/** 1 MiB on `POST /api/intake` only: a whole article, or the HTML of its page. */
export const INTAKE_BODY_LIMIT = 1024 * 1024;

/** Open connections beyond this are closed at once, so slow clients cannot use up the process's file descriptors. */
export const MAX_CONNECTIONS = 1000;

/**
 * Slow clients: a whole request (headers and body) within `REQUEST_TIMEOUT` (default 30 s), headers within 15 s at most,
 * an idle keep-alive connection closed after 5 s, any connection silent for a minute closed. Node checks the first two
 * every second.
 */
function timeouts(config: AppConfig) {
  return {
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: 60_000,
    keepAliveTimeout: 5_000,
    http: { headersTimeout: Math.min(15_000, config.requestTimeoutMs), connectionsCheckingInterval: 1_000 },
  };
}

/** Builds the whole service, ready to `listen` (main) or to `inject` requests (tests). */
export async function createApp(config: AppConfig, overrides: AppOverrides = {}): Promise<NestFastifyApplication> {
  makeDataFolderPrivate(config.dataDir);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    ...timeouts(config),
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    // Long ids reach the id checks (a 400 naming the parameter) instead of Fastify's 414.
    routerOptions: { maxParamLength: 1000 },
    // Fastify's own refusals before routing (a malformed percent-encoding) in the API's error shape.
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => {
      void reply.status(400).send(errorBody(400, `malformed request: ${error.message}`));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, overrides), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  installHooks(app, config);
  installSecurityHeaders(app.getHttpAdapter().getInstance(), helmetOptions(config));
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins });
  app.setGlobalPrefix('api', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
  app.useGlobalPipes(createValidationPipe());
  // SIGTERM: stop taking requests, answer those in flight, close the store, exit 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  setUpDocs(app);
  await serveWebApp(app, overrides.webAppDir ?? webAppDir());
  await app.init();
  // Bodies are JSON: any other media type is refused with 415 instead of being read as text or a form.
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser(['text/plain', 'application/x-www-form-urlencoded']);
  guardRawInput(fastify);
  fastify.server.maxConnections = MAX_CONNECTIONS;
  await fastify.ready();
  return app;
}

/**
 * Swagger UI needs inline scripts and styles; everything else is served from this origin. HSTS and
 * `upgrade-insecure-requests` only when told the service is reached over TLS (`BEHIND_TLS`): over plain HTTP the
 * upgrade sends the docs' browser to an https that is not there, and HSTS is the TLS proxy's call.
 */
function helmetOptions(config: AppConfig): HelmetOptions {
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'unsafe-inline'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'https:'],
    upgradeInsecureRequests: config.behindTls ? [] : null,
  };
  return { contentSecurityPolicy: { useDefaults: true, directives }, hsts: config.behindTls ? { maxAge: 15_552_000, includeSubDomains: false } : false };
}

/**
 * Fastify hooks, added before any route or plugin so that they cover them all (the page, `/docs`, unknown paths): the
 * rate limit, the key `/docs` needs with `READ_ACCESS=key`, and a command written (2xx) telling `/health` that the store
 * takes writes again.
 */
function installHooks(app: NestFastifyApplication, config: AppConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  const keys = app.get<ApiKeys>(API_KEYS);
  fastify.addHook('onRoute', (route) => {
    if (route.url === '/api/intake' && route.method === 'POST') route.bodyLimit = INTAKE_BODY_LIMIT;
  });
  installRateLimit(fastify, keys, { perMinute: config.rateLimit, authFailuresPerMinute: config.authFailureLimit });
  guardDocs(fastify, keys, config.readAccess);
  const writes = app.get(WriteHealth);
  fastify.addHook('onResponse', async (request, reply) => {
    if (request.method === 'POST' && reply.statusCode >= 200 && reply.statusCode < 300) writes.succeeded();
  });
}

function setUpDocs(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('positions')
      .setDescription(
        'What political actors have said about policy questions, and their position on any date as the record stood at any moment. ' +
          'Commands need an API key (Authorization: Bearer <key>) with the role each names; errors share one shape.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
