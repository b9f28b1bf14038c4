/**
 * The browser harness's own file chooser: the host's questions (which file to read or write; may an
 * existing file be replaced? a confirmation that matters, such as exporting secrets) answered on a page
 * of its own, never by the app page.
 *
 * Why a separate page on a separate port: the app page is the untrusted window. This server listens on
 * another port, so it is another origin (the app page cannot read it, frame it, or fetch its answers),
 * and it wants its own key, which only the harness's starter knows (printed in the terminal; handed to
 * Playwright as `chooserUrl`). Answers are POSTed forms checked for that key, the Host and the Origin.
 * A person types a path here as they would in a Save dialog; the page asks itself before replacing a
 * file, as a Save dialog does. No script runs in it: plain HTML forms, refreshed while nothing is asked.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { lstatSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ConfirmRequest, FileChoice, FileChoiceRequest, HostDialogs, ReplaceRequest } from '../core/host-dialogs';

type Question =
  | {
      id: string;
      kind: 'file';
      request: FileChoiceRequest;
      resolve(choice: FileChoice | undefined): void;
      confirming?: string;
    }
  | { id: string; kind: 'replace'; request: ReplaceRequest; resolve(yes: boolean): void }
  | { id: string; kind: 'confirm'; request: ConfirmRequest; resolve(yes: boolean): void };

export interface Chooser {
  /** The chooser page, its key included. */
  url: string;
  port: number;
  dialogs: HostDialogs;
  /** Questions waiting for an answer (tests). */
  pending(): number;
  stop(): Promise<void>;
}

export interface ChooserOptions {
  /** Relative paths typed in the chooser are taken from here (default: the harness's working folder). */
  baseDir?: string;
  port?: number;
}

const MAX_BODY = 64 * 1024;

export async function startChooser(options: ChooserOptions = {}): Promise<Chooser> {
  const baseDir = path.resolve(options.baseDir ?? process.cwd());
  const key = randomBytes(24).toString('hex');
  const questions: Question[] = [];
  let origin = '';
  let host = '';

  const ask = <Q extends Question>(
    question: Q,
    signal: AbortSignal | undefined,
    dismissed: Parameters<Q['resolve']>[0],
  ) => {
    if (signal?.aborted) return question.resolve(dismissed as never);
    questions.push(question);
    signal?.addEventListener(
      'abort',
      () => {
        const at = questions.indexOf(question);
        if (at >= 0) questions.splice(at, 1);
        question.resolve(dismissed as never);
      },
      { once: true },
    );
  };

  const dialogs: HostDialogs = {
    where: 'in the harness’s file chooser (the second address the harness printed)',
    chooseFile: (request) =>
      new Promise((resolve) => ask({ id: randomUUID(), kind: 'file', request, resolve }, request.signal, undefined)),
    confirmReplace: (request) =>
      new Promise((resolve) => ask({ id: randomUUID(), kind: 'replace', request, resolve }, request.signal, false)),
    confirm: (request) =>
      new Promise((resolve) => ask({ id: randomUUID(), kind: 'confirm', request, resolve }, undefined, false)),
  };

  const settle = (question: Question, answer: FileChoice | boolean | undefined) => {
    const at = questions.indexOf(question);
    if (at >= 0) questions.splice(at, 1);
    (question.resolve as (value: unknown) => void)(answer);
  };

  const keyOk = (given: string | null | undefined) => {
    const bytes = Buffer.from(given ?? '');
    return bytes.length === key.length && timingSafeEqual(bytes, Buffer.from(key));
  };

  const server = http.createServer((req, res) => {
    const send = (status: number, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        // same-origin, not no-referrer: with no-referrer Chromium posts the form with `Origin: null`.
        'referrer-policy': 'same-origin',
        'content-security-policy':
          "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ...extra,
      });
      res.end(body);
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return send(400, 'Bad request');
    }
    if (req.headers.host !== host) return send(421, 'Wrong host');
    if (req.method === 'GET' && url.pathname === '/') {
      if (!keyOk(url.searchParams.get('key'))) return send(403, 'This page needs the address the harness printed.');
      return send(200, page(questions[0], baseDir, key));
    }
    if (req.method === 'POST' && url.pathname === '/answer') {
      // Another page (the app's, any web page) cannot answer: it has neither this origin nor the key.
      if (req.headers.origin !== undefined && req.headers.origin !== origin)
        return send(403, 'Answers come from the chooser page only.');
      let body = '';
      let tooLarge = false;
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_BODY) {
          tooLarge = true;
          req.destroy();
        }
      });
      req.on('end', () => {
        if (tooLarge) return;
        const form = new URLSearchParams(body);
        if (!keyOk(form.get('key'))) return send(403, 'This page needs the address the harness printed.');
        const question = questions.find((q) => q.id === form.get('id'));
        const back = () => send(303, '', { location: `/?key=${key}` });
        if (!question) return back();
        const action = form.get('action');
        if (question.kind === 'replace') {
          settle(question, action === 'replace');
          return back();
        }
        if (question.kind === 'confirm') {
          settle(question, action === 'yes');
          return back();
        }
        if (action === 'cancel') {
          settle(question, undefined);
          return back();
        }
        if (action === 'back') {
          question.confirming = undefined;
          return back();
        }
        const typed = (form.get('path') ?? '').trim();
        if (!typed) return back();
        const chosen = path.resolve(baseDir, typed);
        if (question.request.mode === 'save' && action === 'replace' && question.confirming === chosen) {
          settle(question, { path: chosen, replaceConfirmed: true });
          return back();
        }
        // Like a Save dialog: choosing an existing file asks first, here.
        if (question.request.mode === 'save' && question.request.pick === 'file' && exists(chosen)) {
          question.confirming = chosen;
          return back();
        }
        settle(question, { path: chosen });
        return back();
      });
      return;
    }
    send(404, 'Not found');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;

  return {
    url: `${origin}/?key=${key}`,
    port,
    dialogs,
    pending: () => questions.length,
    async stop() {
      for (const question of questions.splice(0))
        (question.resolve as (value: unknown) => void)(question.kind === 'file' ? undefined : false);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(question: Question | undefined, baseDir: string, key: string): string {
  const head = (title: string, refresh: boolean) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8">${refresh ? '<meta http-equiv="refresh" content="1">' : ''}<title>${escape(title)}</title>` +
    '<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:44rem}input[type=text]{width:100%;font:inherit;padding:.3rem}button{font:inherit;margin:.6rem .5rem 0 0}code{word-break:break-all}</style></head><body>';
  const hidden = (id: string) =>
    `<input type="hidden" name="key" value="${key}"><input type="hidden" name="id" value="${escape(id)}">`;
  if (!question)
    return `${head('Cutover file chooser', true)}<h1>Cutover file chooser</h1><p>Nothing to choose right now. When a job asks for a file, the question appears here.</p></body></html>`;
  if (question.kind === 'confirm') {
    const { request } = question;
    return (
      `${head(request.message, false)}<main aria-label="Confirm"><h1>${escape(request.message)}</h1>${request.detail ? `<p>${escape(request.detail)}</p>` : ''}` +
      `<form method="post" action="/answer">${hidden(question.id)}<button name="action" value="yes">${escape(request.confirmLabel)}</button><button name="action" value="no" autofocus>Cancel</button></form></main></body></html>`
    );
  }
  if (question.kind === 'replace') {
    const { request } = question;
    return (
      `${head(request.title, false)}<main aria-label="Replace files"><h1>${escape(request.title)}</h1><p>For: ${escape(request.jobTitle)}</p>` +
      `<p>${request.files.length === 1 ? 'This file exists already:' : 'These files exist already:'}</p><ul>${request.files.map((f) => `<li><code>${escape(f)}</code></li>`).join('')}</ul>` +
      `<form method="post" action="/answer">${hidden(question.id)}<button name="action" value="replace">Replace</button><button name="action" value="keep">Keep ${request.files.length === 1 ? 'it' : 'them'}</button></form></main></body></html>`
    );
  }
  const { request } = question;
  if (question.confirming) {
    return (
      `${head('Replace the file?', false)}<main aria-label="Replace the file?"><h1>Replace the file?</h1><p><code>${escape(question.confirming)}</code> exists already. Replace it?</p>` +
      `<form method="post" action="/answer">${hidden(question.id)}<input type="hidden" name="path" value="${escape(question.confirming)}">` +
      `<button name="action" value="replace">Replace</button><button name="action" value="back">Choose another</button></form></main></body></html>`
    );
  }
  const what =
    request.mode === 'open'
      ? request.pick === 'folder'
        ? 'a folder to read'
        : request.pick === 'file-or-folder'
          ? 'a file or a folder to read'
          : 'a file to read'
      : request.pick === 'folder'
        ? 'a folder to write into'
        : 'where to save the file';
  const value = request.defaultName ? path.join(baseDir, request.defaultName) : '';
  const filters = request.filters?.length
    ? `<p>Kinds: ${request.filters.map((f) => escape(`${f.name} (${f.extensions.join(', ')})`)).join('; ')}</p>`
    : '';
  return (
    `${head(request.title, false)}<main aria-label="Choose a file"><h1>${escape(request.title)}</h1><p>For: ${escape(request.jobTitle)}</p>${filters}` +
    `<form method="post" action="/answer">${hidden(question.id)}<label>Path of ${what} (relative paths start in <code>${escape(baseDir)}</code>)<br>` +
    `<input type="text" name="path" value="${escape(value)}" autofocus required></label><br>` +
    `<button name="action" value="choose">Choose</button><button name="action" value="cancel" formnovalidate>Cancel</button></form></main></body></html>`
  );
}
