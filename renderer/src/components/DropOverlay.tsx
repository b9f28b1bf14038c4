/**
 * Files dropped anywhere on the window go to the intake. While files are dragged over the window a
 * full-window overlay says so. Drops of anything other than files are ignored (and never navigate).
 */
import { useEffect, useState } from 'react';
import { useIntake } from '../store/intake';
import { useConnections } from '../store/connections';
import { Icon } from './Icon';

function hasFiles(event: DragEvent): boolean {
  const types = event.dataTransfer?.types;
  return !!types && Array.from(types).includes('Files');
}

/** While dragging only the files' types are known (not their names): data files say so by type. */
const DATA_TYPE = /csv|tab-separated|json|bson|octet-stream|gzip/i;

function draggedData(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.items ?? []).some((item) => item.kind === 'file' && DATA_TYPE.test(item.type));
}

export function DropOverlay() {
  const [active, setActive] = useState(false);
  const [data, setData] = useState(false);
  const selection = useConnections((s) => s.selection);
  const intakeFiles = useIntake((s) => s.intakeFiles);

  useEffect(() => {
    let depth = 0;
    const onEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth++;
      setData(draggedData(event));
      setActive(true);
    };
    const onOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      // Leaving the window entirely reports no related target.
      if (depth === 0 || event.relatedTarget === null) {
        depth = 0;
        setActive(false);
      }
    };
    const onDrop = (event: DragEvent) => {
      event.preventDefault();
      depth = 0;
      setActive(false);
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length) void intakeFiles(files);
    };
    const onEnd = () => {
      depth = 0;
      setActive(false);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    window.addEventListener('dragend', onEnd);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('dragend', onEnd);
    };
  }, [intakeFiles]);

  if (!active) return null;
  return (
    <div className="drop-overlay" aria-hidden="true" data-testid="drop-overlay">
      <div className="drop-overlay-card">
        <div className="drop-overlay-icon">
          <Icon name="drop" size={48} />
        </div>
        {data && selection.databaseName ? (
          <>
            <p className="drop-overlay-title">
              Import into {[selection.databaseName, selection.collectionName].filter(Boolean).join('.')}
            </p>
            <p className="drop-overlay-hint">
              Data files (CSV, JSON, BSON…) are imported into the selected database after a preview; nothing is
              uploaded.
            </p>
          </>
        ) : data ? (
          <>
            <p className="drop-overlay-title">Select a database to import data files</p>
            <p className="drop-overlay-hint">
              Data files are imported into the selected database; connection files are read. Nothing is uploaded.
            </p>
          </>
        ) : (
          <>
            <p className="drop-overlay-title">Drop connection files</p>
            <p className="drop-overlay-hint">
              Connection strings, .env files, Compass exports and URI lists are read; nothing is uploaded.
            </p>
          </>
        )}
      </div>
    </div>
  );
}
