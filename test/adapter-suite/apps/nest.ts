/**
 * The suite's app on NestJS, on its Express and its Fastify platform. Decorators compile through tsx
 * (esbuild) with `experimentalDecorators`; esbuild emits no decorator metadata, so nothing here
 * relies on it (no constructor injection by type).
 */
import 'reflect-metadata'
import {
  Controller,
  Get,
  Header,
  Module,
  Param,
  Query,
  Redirect,
  StreamableFile,
  UseGuards,
} from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { FastifyAdapter } from '@nestjs/platform-fastify'
import { type NestSession, Session, SessionKeyGuard, SessionModule } from 'tessera-session/nest'
import { act, suiteSession, VALUE_KEY } from '../harness.ts'
import { inProcess } from '../in-process.ts'
import { lateReadable } from './late-readable.ts'

@Controller()
class SuiteController {
  @Get('act/:name')
  @Header('content-type', 'application/json')
  async act(
    @Param('name') name: string,
    @Query() query: Record<string, string>,
    @Session() session: NestSession,
  ): Promise<string> {
    return JSON.stringify(await act(name, suiteSession(session), new URLSearchParams(query)))
  }

  @Get('late')
  async late(@Session() session: NestSession): Promise<StreamableFile> {
    await suiteSession(session).load()
    return new StreamableFile(lateReadable(suiteSession(session)), { type: 'text/plain' })
  }

  @Get('headers')
  @Header('vary', 'Accept-Encoding')
  @Header('cache-control', 'max-age=0, private')
  @Header('set-cookie', 'other=1; Path=/')
  async headers(@Session() session: NestSession): Promise<string> {
    await suiteSession(session).load()
    suiteSession(session).set('value', 'h')
    return 'ok'
  }

  @Get('redirect')
  @Redirect('/act/read', 302)
  async redirect(@Session() session: NestSession): Promise<void> {
    await suiteSession(session).load()
    suiteSession(session).set('value', 'r')
  }

  @Get('guarded')
  @UseGuards(SessionKeyGuard(VALUE_KEY))
  guarded(@Session() session: NestSession): { value: unknown } {
    return { value: suiteSession(session).get('value') }
  }
}

function nestApp(platform: 'express' | 'fastify') {
  return inProcess(async (engine) => {
    @Module({ imports: [SessionModule.forRoot(engine)], controllers: [SuiteController] })
    class SuiteModule {}
    // No logger: the suite's deliberate failures need no stack traces.
    const app =
      platform === 'express'
        ? await NestFactory.create(SuiteModule, { logger: false })
        : await NestFactory.create(SuiteModule, new FastifyAdapter(), { logger: false })
    await app.listen(0, '127.0.0.1')
    const address = app.getHttpServer().address() as { port: number }
    return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() }
  })
}

export const nestExpressApp = nestApp('express')
export const nestFastifyApp = nestApp('fastify')
