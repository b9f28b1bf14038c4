/**
 * What the file intake found, per file: the connections it holds (redacted), which duplicate saved
 * ones, a passphrase field for encrypted files, and "Save"; then what was saved. Errors (role=alert)
 * name the file and the line or entry.
 */
import { useId, useState, type FormEvent } from 'react';
import { useIntake, type IntakeEntry } from '../store/intake';
import { useUi } from '../store/ui';
import { Icon, KIND_ICON } from './Icon';
import { Button } from './Button';

const FORMAT_LABEL = {
  cutover: 'Cutover connection file',
  compass: 'Compass export',
  text: 'connection strings',
  env: '.env file',
} as const;

export function IntakeResults() {
  const entries = useIntake((s) => s.entries);
  const busy = useIntake((s) => s.busy);

  if (!entries.length && !busy) return null;
  return (
    <section className="intake" aria-label="Opened files">
      {busy > 0 && (
        <p className="intake-busy">
          <span className="spinner" aria-hidden="true" /> Reading {busy} file{busy === 1 ? '' : 's'}…
        </p>
      )}
      <ul className="intake-list" role="list">
        {entries.map((entry) => (
          <IntakeFile key={entry.key} entry={entry} />
        ))}
      </ul>
    </section>
  );
}

function IntakeFile({ entry }: { entry: IntakeEntry }) {
  const dismiss = useIntake((s) => s.dismiss);
  const choose = useIntake((s) => s.choose);
  const commit = useIntake((s) => s.commit);
  const navigate = useUi((s) => s.navigate);
  const preview = entry.preview;
  const usable = preview?.entries.filter((e) => !e.error) ?? [];
  const failed = entry.errors.length > 0 || !!entry.actionError;
  const saved = entry.saved;
  const tone =
    saved?.length || usable.length ? (failed ? 'intake-partial' : 'intake-ok') : failed ? 'intake-failed' : 'intake-ok';

  return (
    <li className={`intake-entry ${tone}`}>
      <div className="intake-entry-body">
        <p className="intake-file">
          <Icon name={failed && !usable.length && !saved ? 'warning' : 'file'} className="intake-file-icon" />
          <strong>{entry.fileName}</strong>
          {preview && (
            <span className="intake-count">
              {' '}
              · {FORMAT_LABEL[preview.format]} · {usable.length} connection{usable.length === 1 ? '' : 's'} found
            </span>
          )}
          {saved && (
            <span className="intake-count">
              {' '}
              · saved {saved.length} connection{saved.length === 1 ? '' : 's'}{' '}
              <button type="button" className="link-button" onClick={() => navigate({ name: 'saved' })}>
                Show saved connections
              </button>
            </span>
          )}
          {!preview && !saved && !failed && <span className="intake-count"> · no connections found in this file</span>}
        </p>
        {preview && usable.length > 0 && (
          <form
            className="intake-preview"
            onSubmit={(event) => {
              event.preventDefault();
              void commit(entry.key);
            }}
          >
            {preview.needsPassphrase && <PassphraseForm entry={entry} />}
            <fieldset className="intake-choices" disabled={entry.busy}>
              <legend className="visually-hidden">Connections in {entry.fileName}</legend>
              <ul className="intake-connections" role="list" aria-label={`Connections in ${entry.fileName}`}>
                {usable.map((item) => (
                  <li key={item.entryId}>
                    <label className="field-checkbox">
                      <input
                        type="checkbox"
                        checked={entry.chosen.includes(item.entryId)}
                        onChange={(e) => choose(entry.key, item.entryId, e.target.checked)}
                      />
                      {item.kind && <Icon name={KIND_ICON[item.kind]} className="inline-icon" />}
                      <span>{item.name}</span> <span className="muted mono">{item.redactedUri}</span>
                      {item.duplicateOf && <span className="pill"> already saved as {item.duplicateOf.name}</span>}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
            <div className="form-actions">
              <Button
                type="submit"
                variant="primary"
                disabled={!entry.chosen.length || entry.busy || preview.needsPassphrase}
              >
                {entry.busy
                  ? 'Saving…'
                  : `Save ${entry.chosen.length} connection${entry.chosen.length === 1 ? '' : 's'}`}
              </Button>
            </div>
          </form>
        )}
        {saved && saved.length > 0 && (
          <ul className="intake-connections" role="list" aria-label={`Saved from ${entry.fileName}`}>
            {saved.map((s) => (
              <li key={s.id}>
                {s.name} <span className="muted">{s.redactedUri}</span>
              </li>
            ))}
          </ul>
        )}
        {failed && (
          <div role="alert" className="intake-errors">
            {entry.actionError && <p>{entry.actionError}</p>}
            {entry.errors.map((error, index) => (
              <p key={index}>{error.startsWith(entry.fileName) ? error : `${entry.fileName}: ${error}`}</p>
            ))}
          </div>
        )}
      </div>
      <button
        type="button"
        className="icon-button"
        aria-label={`Dismiss ${entry.fileName}`}
        onClick={() => dismiss(entry.key)}
      >
        <Icon name="x" />
      </button>
    </li>
  );
}

function PassphraseForm({ entry }: { entry: IntakeEntry }) {
  const [passphrase, setPassphrase] = useState('');
  const unlock = useIntake((s) => s.unlock);
  const id = useId();
  const submit = (event: FormEvent | React.MouseEvent) => {
    event.preventDefault();
    if (passphrase) void unlock(entry.key, passphrase);
  };
  return (
    <div className="field intake-passphrase">
      <label htmlFor={id}>Passphrase for {entry.fileName}</label>
      <p className="field-help">The passwords in this file are encrypted. Enter the passphrase it was exported with.</p>
      <div className="header-actions">
        <input
          id={id}
          className="input"
          type="password"
          value={passphrase}
          autoComplete="off"
          onChange={(e) => setPassphrase(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') submit(e as unknown as FormEvent);
          }}
        />
        <Button disabled={!passphrase || entry.busy} onClick={submit}>
          Unlock
        </Button>
      </div>
    </div>
  );
}
