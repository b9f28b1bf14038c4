/**
 * The mapping screen (a provider's `mapping` prompt): the source's tables as a list with their foreign keys
 * and the choices for each (TableCard), and a live preview of three real documents built from the source
 * by the main side as the mapping changes (prompts.preview, asked a moment after the last change; an answer
 * to an older mapping is dropped). Next answers the prompt with the mapping document; the main side checks
 * it again and asks again with the reason if it cannot be used.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { MappingPreviewDto, Prompt } from '../../../../preload/contract';
import { api, messageOf } from '../../api';
import { parseDoc, type MappingDoc } from './mapping-model';
import { TableCard } from './TableCard';
import './mapping.css';

type MappingPrompt = Extract<Prompt, { kind: 'mapping' }>;

/** Milliseconds after the last change before a preview is asked for. */
const PREVIEW_DELAY_MS = 350;

interface Props {
  prompt: MappingPrompt;
  busy: boolean;
  answer(value: string): void;
  dismiss(): void;
}

type PreviewState =
  { state: 'loading' } | { state: 'ready'; preview: MappingPreviewDto } | { state: 'failed'; message: string };

export function MappingScreen({ prompt, busy, answer, dismiss }: Props) {
  const [doc, setDoc] = useState<MappingDoc>(() => parseDoc(prompt.mapping));
  const [collection, setCollection] = useState<string>();
  const [preview, setPreview] = useState<PreviewState>({ state: 'loading' });
  const asked = useRef(0);
  const baseId = useId();
  const text = useMemo(() => JSON.stringify(doc), [doc]);

  useEffect(() => {
    const ask = ++asked.current;
    setPreview((p) => (p.state === 'ready' ? p : { state: 'loading' }));
    const timer = setTimeout(() => {
      setPreview({ state: 'loading' });
      api()
        .call('prompts.preview', {
          jobId: prompt.jobId,
          promptId: prompt.promptId,
          mapping: text,
          ...(collection ? { collection } : {}),
        })
        .then(
          (value) => ask === asked.current && setPreview({ state: 'ready', preview: value }),
          (error: unknown) => ask === asked.current && setPreview({ state: 'failed', message: messageOf(error) }),
        );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, collection, prompt.jobId, prompt.promptId]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) answer(text);
  };

  return (
    <form className="mapping-screen" onSubmit={submit} noValidate>
      {prompt.description && <p className="dialog-text">{prompt.description}</p>}
      {prompt.error && (
        <p className="alert alert-error" role="alert">
          {prompt.error}
        </p>
      )}
      {prompt.source.cycles.length > 0 && (
        <p className="mapping-note">
          The foreign keys form {prompt.source.cycles.length === 1 ? 'a cycle' : 'cycles'}:{' '}
          {prompt.source.cycles.join('; ')}. A cycle cannot be embedded all the way round: keep at least one relation on
          it as a reference.
        </p>
      )}
      <div className="mapping-columns">
        <section className="mapping-tables" aria-labelledby={`${baseId}-tables`}>
          <h3 id={`${baseId}-tables`} className="mapping-heading">
            Tables and foreign keys
          </h3>
          <ul className="mapping-table-list" aria-labelledby={`${baseId}-tables`}>
            {prompt.source.tables.map((table) => (
              <TableCard
                key={table.id}
                source={prompt.source}
                table={table}
                doc={doc}
                disabled={busy}
                onChange={setDoc}
              />
            ))}
          </ul>
        </section>
        <Preview id={baseId} preview={preview} collection={collection} onCollection={setCollection} />
      </div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={dismiss} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Checking…' : (prompt.submitLabel ?? 'OK')}
        </button>
      </div>
    </form>
  );
}

function Preview({
  id,
  preview,
  collection,
  onCollection,
}: {
  id: string;
  preview: PreviewState;
  collection?: string;
  onCollection(name: string): void;
}) {
  const shown = preview.state === 'ready' ? preview.preview : undefined;
  const status =
    preview.state === 'loading'
      ? 'Building the preview from the source…'
      : preview.state === 'failed'
        ? `No preview: ${preview.message}`
        : shown!.errors.length
          ? 'The mapping cannot be used as it is:'
          : shown!.documents.length
            ? `${shown!.documents.length} document${shown!.documents.length === 1 ? '' : 's'} of ${shown!.collection}, built from the source`
            : `The table of ${shown!.collection} is empty.`;
  return (
    <section className="mapping-preview" aria-labelledby={`${id}-preview`} aria-busy={preview.state === 'loading'}>
      <h3 id={`${id}-preview`} className="mapping-heading">
        Preview
      </h3>
      {shown && shown.collections.length > 1 && (
        <div className="field">
          <label htmlFor={`${id}-collection`}>Collection to preview</label>
          <select
            id={`${id}-collection`}
            className="input"
            value={collection ?? shown.collection ?? ''}
            onChange={(e) => onCollection(e.target.value)}
          >
            {shown.collections.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
      )}
      <p className="mapping-muted" role="status">
        {status}
      </p>
      {shown && shown.errors.length > 0 && (
        <ul className="mapping-errors">
          {shown.errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
      {shown && shown.errors.length === 0 && (
        <ol className="mapping-documents" aria-label={`Preview documents of ${shown.collection ?? ''}`}>
          {shown.documents.map((document, index) => (
            <li key={index}>
              <pre className="mapping-document" tabIndex={0} aria-label={`Document ${index + 1}`}>
                {pretty(document)}
              </pre>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Indented JSON when the line is whole (a line cut short stays as it is). */
function pretty(line: string): string {
  try {
    return JSON.stringify(JSON.parse(line), null, 2);
  } catch {
    return line;
  }
}
